// The data service's public surface, for the web shell and tests.
export { createDemoService, FEATURES } from './demo-service';
export type { DemoServiceOptions } from './demo-service';
export { createDispatcher, createPushHub, createUnavailableService } from './service';
export type { ApiService, Handlers, PushListener, ServiceLog } from './service';
export { loadTown, parseTown, DatasetError } from './dataset';
export type { LoadedTown } from './dataset';
export { buildGridTreeNodes } from '../../core/grid/hierarchy';
