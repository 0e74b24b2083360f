// Types of build.mjs for the TypeScript that imports it (the test harness).

export declare const vaadinStatisticsOptOut: { name: string; setup(build: unknown): void };
export declare function browserBundleOptions(): Record<string, unknown>;
export declare function buildUi(options?: { outdir?: string }): Promise<{ outdir: string; script: string; files: string[] }>;
export declare const PAGE_CSS: string;
