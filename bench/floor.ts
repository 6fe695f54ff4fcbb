// Credentials of the floor routes in bench/server.ts, shared with the benchmarks that load them.
export const FLOOR_ACCESS_KEY = { accessKeyId: 'LTAIfloor0000000000000000', accessKeySecret: 'floor-secret-floor-secret-0000' };
export const FLOOR_PASSWORD = 'Floor-Passw0rd!';
