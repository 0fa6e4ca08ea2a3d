/** The floor of a cold start: a handler module with nothing in it, bundled like the real one. */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
