import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** "yes", or why PostgreSQL cannot be used in this run. */
    postgresAvailable: string;
    /** The folder where the global setup drew the demo's pictures once for the whole run. */
    demoImagesDir: string;
  }
}
