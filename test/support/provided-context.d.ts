import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** "yes", or why PostgreSQL cannot be used in this run. */
    postgresAvailable: string;
  }
}
