/** Runs `f` and answers what it returns, or undefined when it throws: what the page (or a blocked platform API) throws stays out of klite. */
export const guard = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {}
};
