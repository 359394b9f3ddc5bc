// The Node build's `receive` through the module's answer buffer (wasm/src/boundary.rs, decision
// D63): the answer is copied into memory the module keeps, not into a new allocation, and the
// outcome comes back as a number named here, not as a new string. Same arguments, results and
// errors as the generated `receive`, which still takes what is not a `Uint8Array` of at most
// 65,535 bytes. And bulk mode's `PlannedText.copyInto`: the plan's JSON text copied from the
// module's memory straight into the output.

/** The largest answer the buffer takes (wasm/src/boundary.rs, `ANSWER_BUFFER_MAX`). */
const ANSWER_BUFFER_MAX = 65535;

/**
 * The whole of `memory` as bytes: a function that gives one view, made again after the memory
 * has grown (the old one is then detached and empty).
 */
function memoryBytes(memory) {
  let bytes = new Uint8Array(0);
  return () => (bytes.length !== 0 ? bytes : (bytes = new Uint8Array(memory.buffer)));
}

/** Gives `wasm.Discovery` a `receive` through the answer buffer of the module's `memory`. */
export function defineReceive(wasm, memory) {
  const outcomes = JSON.parse(wasm.outcomeNames());
  const generated = wasm.Discovery.prototype.receive;
  let address = 0;
  let capacity = 0;
  const view = memoryBytes(memory);
  Object.defineProperty(wasm.Discovery.prototype, 'receive', {
    configurable: true,
    writable: true,
    value: function receive(id, response, options) {
      if (!(response instanceof Uint8Array) || response.length > ANSWER_BUFFER_MAX) return generated.call(this, id, response, options);
      const length = response.length;
      if (length > capacity) {
        address = wasm.answerBuffer(length);
        capacity = length;
      }
      view().set(response, address);
      return outcomes[this.receiveBuffered(id, length, options)];
    },
  });
}

/**
 * Gives `wasm.PlannedText` a `copyInto(target, offset)` that copies the plan's JSON text from the
 * module's `memory` into `target` (a `Uint8Array` with room for `length` bytes at `offset`) and
 * returns its length: bulk mode's output takes the text with no copy in between (issue 16 §3).
 */
export function defineCopyInto(wasm, memory) {
  const view = memoryBytes(memory);
  Object.defineProperty(wasm.PlannedText.prototype, 'copyInto', {
    configurable: true,
    writable: true,
    value: function copyInto(target, offset) {
      const at = this.at;
      const length = this.length;
      target.set(view().subarray(at, at + length), offset);
      return length;
    },
  });
}
