// The field desk's distances, as the service measures them, and their Chinese form.

/** Metres between two points (haversine): the same rule as the service's distances. */
export { haversineM as distanceM } from '../../../core/emergency/radius';

export const formatDistance = (m: number): string => (m >= 1000 ? `${(m / 1000).toFixed(2)} 公里` : `${Math.round(m)} 米`);
