/** The wallet engine. */
export {};
