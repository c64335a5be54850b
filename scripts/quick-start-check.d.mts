/** What one run of the quick start showed. */
export interface QuickStartRun {
  readonly url: string;
  readonly pages: readonly string[];
  readonly failures: readonly string[];
  readonly code: number | null;
  readonly signal: string | null;
  readonly stillAnswering: boolean;
}
export declare function linksOf(page: string): string[];
export declare function checkQuickStart(options?: { withinMs?: number }): Promise<QuickStartRun>;
