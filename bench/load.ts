import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * Runs one autocannon measurement in its own process and prints its result as one JSON line,
 * so the load generator shares no event loop with the harness or the server under test.
 *
 * Input (a JSON file named by argv[2]; paths lists are too long for a command line): { url, connections, duration, headers?, paths? }. With `paths`, each
 * request takes the next path in turn (distinct pages, for cache misses); `amount` stops after
 * that many requests.
 */
interface LoadInput {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  paths?: string[];
  amount?: number;
}

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadInput;
let next = 0;
const result = await autocannon({
  url: input.url,
  connections: input.connections,
  duration: input.duration,
  amount: input.amount,
  headers: input.headers,
  requests: input.paths
    ? [
        {
          setupRequest: (request) => {
            const paths = input.paths!;
            request.path = paths[next++ % paths.length]!;
            return request;
          },
        },
      ]
    : undefined,
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    requestsTotal: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    latencyMean: result.latency.average,
    bytesPerSecond: result.throughput.average,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    duration: result.duration,
  })}\n`,
);
