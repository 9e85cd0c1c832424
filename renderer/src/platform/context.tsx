// Views reach the data service through React context, not a module global: the app
// provides the real client and event store (main.tsx), a component test a fake.
import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '../../../core/api/client';
import type { EventStore } from './event-store';
import type { Connection, SessionPort } from './index';

export interface Services {
  api: ApiClient;
  store: EventStore;
  connection(): Connection;
  onConnection(listener: (connection: Connection) => void): () => void;
  /** The token the transport presents, and the end of the session (renderer/src/session decides who is logged in). */
  session: SessionPort;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('ServicesProvider is missing above this component');
  return services;
}

/** The services when a provider is above (the map's benchmark harness runs without one). */
export const useOptionalServices = (): Services | null => useContext(ServicesContext);

export const useApi = (): ApiClient => useServices().api;
export const useEventStore = (): EventStore => useServices().store;
