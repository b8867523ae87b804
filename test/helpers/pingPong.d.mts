export interface RoundTrips {
  min: number;
  p50: number;
}

export function pingPong(port: number, messages: number, size?: number): Promise<RoundTrips>;
