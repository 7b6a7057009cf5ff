/**
 * The few types the tests need of Ghost's own Content API client, which ships none: the suite
 * reads Kiosque with it unmodified (issue 13), so these describe its calls, not Kiosque's answers.
 */
declare module '@tryghost/content-api' {
  // biome-ignore lint/suspicious/noExplicitAny: Ghost's JSON is walked by field name in the tests
  type GhostObject = Record<string, any>;
  type Options = Record<string, string | number>;
  type Browsed = GhostObject[] & { meta: { pagination: Record<string, number | string | null> } };
  interface Resource {
    browse(options?: Options): Promise<Browsed>;
    read(data: { id?: string; slug?: string }, options?: Options): Promise<GhostObject>;
  }
  interface GhostContentApi {
    posts: Resource;
    pages: Resource;
    tags: Resource;
    authors: Resource;
    settings: { browse(options?: Options): Promise<GhostObject> };
  }
  // biome-ignore lint/style/noDefaultExport: the package exports its client as its default, described as it is
  export default function GhostContentAPI(options: {
    url: string;
    key: string;
    version: string | boolean;
    userAgent?: string | boolean;
    ghostPath?: string;
  }): GhostContentApi;
}
