/**
 * Milliseconds of work klite does in one task, at most, where the work can be split: well under
 * the 50 ms of a long task, so input that arrives meanwhile waits little.
 */
export const BUDGET = 8;

/**
 * Resolves on a new task. klite's own callback, not the bare resolver: Long Animation Frames then
 * name klite.js for the work that follows.
 */
export const nextTask = () => new Promise((next) => setTimeout(() => next(0)));
