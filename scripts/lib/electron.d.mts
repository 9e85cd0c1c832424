export function findElectron(): { binary: string; reason?: undefined } | { binary?: undefined; reason: string };
