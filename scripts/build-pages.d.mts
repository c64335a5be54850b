/** A page: its name, the service folder that serves it and its Vite root, relative to the repository (or absolute). */
export interface Page {
  readonly name: string;
  readonly service: string;
  readonly root: string;
}
export declare const PAGES: readonly Page[];
export declare function outDirOf(page: Page): string;
export declare function isStale(page: Page): boolean;
export declare function buildPages(options?: {
  force?: boolean;
  pages?: readonly Page[];
  log?: (line: string) => void;
}): Promise<string[]>;
/** A library bundle: its name, package folder, entry (from the folder) and output file (from the repository). */
export interface Bundle {
  readonly name: string;
  readonly root: string;
  readonly entry: string;
  readonly out: string;
}
export declare const BUNDLES: readonly Bundle[];
export declare function buildBundles(options?: {
  force?: boolean;
  bundles?: readonly Bundle[];
  log?: (line: string) => void;
}): Promise<string[]>;
