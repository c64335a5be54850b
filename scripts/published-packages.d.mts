export declare const PUBLISHED: readonly string[];
export declare function pack(dir: string, destination: string): string;
