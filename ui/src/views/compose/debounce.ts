/** Runs the latest task once calls have paused for `delay` ms. */
export class Debounced {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #task: (() => void) | null = null;
  readonly #delay: number;

  constructor(delay: number) {
    this.#delay = delay;
  }

  run(task: () => void): void {
    this.cancel();
    this.#task = task;
    this.#timer = setTimeout(() => this.flush(), this.#delay);
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#task = null;
  }

  /** Runs a waiting task now, e.g. when the view closes before the pause is over. */
  flush(): void {
    const task = this.#task;
    this.cancel();
    task?.();
  }
}
