// Reads the plans of the Node build (`mailsrv_node`), handed over as tapes (wasm/src/tape.rs
// describes the layout): the same plain object `JSON.parse` of the plan's JSON text gives, built
// without a JSON text (BENCHMARKS.md, issue 16 §1). Each distinct string of a plan becomes one JS
// string; each shape (a struct's field names) one object literal, made once per module.

const NULL = 0;
const TRUE = 1;
const FALSE = 2;
const INT = 3;
const F64 = 4;
const STR = 5;
const ARR = 6;
const SHAPE = 7;
const OBJ = 8;
const JSON_TEXT = 9;
const FORMAT = 1;
const HEADER_WORDS = 5;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Sets own property `key` of `object` as `JSON.parse` does: a name that `Object.prototype` has
 * (`__proto__`, `toString`, or one a polluted prototype gained, with a setter) is defined, so no
 * setter runs and a frozen prototype (`--frozen-intrinsics`) does not refuse it.
 */
function put(object, key, value) {
  if (key in Object.prototype) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/**
 * A function that builds an object of the field names `keys`, taking each value from `value()`
 * in order: an object literal compiled once (every object of a shape then shares one hidden
 * class, and `value` is the same function at every call, so the engine can inline it), or,
 * where code generation is disallowed (`--disallow-code-generation-from-strings`) or a name is
 * not a plain identifier, a loop.
 */
function shapeBuilder(keys, value) {
  if (keys.every((k) => IDENTIFIER.test(k) && k !== '__proto__')) {
    try {
      // eslint-disable-next-line no-new-func
      return new Function('value', `return function shape() { return { ${keys.map((k) => `${k}: value()`).join(', ')} }; };`)(value);
    } catch {
      // Code generation from strings is disallowed: the loop below.
    }
  }
  return () => {
    const o = {};
    for (const k of keys) put(o, k, value());
    return o;
  };
}

/**
 * The plan reader of the module `wasm` (its `planShapes` names the shapes it numbered):
 * `read(tape)` gives the plan of a `Uint32Array` tape; with the module's `memory`,
 * `readAt(address)` gives the plan of a tape left in place at `address` (a header of
 * `HEADER_WORDS` words, then the addresses of the string ends, the operations and the strings'
 * bytes: wasm/src/tape/mod.rs, `write_in_place`), read without copying it out (D63).
 */
export function tapeReader(wasm, memory) {
  const builders = [];
  // ignoreBOM: the tape's strings are decoded as one, so a leading U+FEFF (which the decoder
  // drops by default) must stay, or every later string would be cut in the wrong place.
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  const scratch = new DataView(new ArrayBuffer(8));
  // A view of the whole memory, made again when the memory has grown: its old buffer is then
  // detached, and the view empty (cheaper to check than reading `memory.buffer`).
  let words = new Uint32Array(0);
  const memoryWords = () => (words.length !== 0 ? words : (words = new Uint32Array(memory.buffer)));

  // The tape being read: its words, the next operation's word, the word of its first string
  // end, its strings' text, and the strings made so far by index (`valueOf` saves and restores
  // them around each read).
  let tape = words;
  let at = 0;
  let ends = 0;
  let text = '';
  let made = [];

  function checkFormat(format) {
    if (format !== FORMAT) throw Object.assign(new Error(`plan tape of format ${format}, expected ${FORMAT}`), { code: 'INTERNAL' });
  }
  /** Builders for the shapes up to `known` (asking the module may grow its memory). */
  function learnShapes(known) {
    if (known > builders.length) {
      for (const keys of JSON.parse(wasm.planShapes(builders.length))) builders.push(shapeBuilder(keys, value));
    }
  }

  /** String `i` of the tape, made once. */
  function string(i) {
    return made[i] ?? (made[i] = text.slice(i === 0 ? 0 : tape[ends + i - 1], tape[ends + i]));
  }

  /** The next value: strings and integers (most of a plan's values) here, the rest in `next`. */
  function value() {
    const operation = tape[at];
    if (operation === STR) {
      at += 2;
      return string(tape[at - 1]);
    }
    if (operation === INT) {
      at += 2;
      return tape[at - 1];
    }
    return next();
  }

  function next() {
    const operation = tape[at++];
    switch (operation) {
      case NULL: return null;
      case TRUE: return true;
      case FALSE: return false;
      case INT: return tape[at++];
      case F64:
        scratch.setUint32(0, tape[at++], true);
        scratch.setUint32(4, tape[at++], true);
        return scratch.getFloat64(0, true);
      case STR: return string(tape[at++]);
      case ARR: {
        const length = tape[at++];
        const array = [];
        for (let i = 0; i < length; i++) array.push(value());
        return array;
      }
      case SHAPE: return builders[tape[at++]]();
      case OBJ: {
        const entries = tape[at++];
        const object = {};
        for (let i = 0; i < entries; i++) {
          const key = value();
          put(object, key, value());
        }
        return object;
      }
      case JSON_TEXT: return JSON.parse(string(tape[at++]));
      default: throw Object.assign(new Error(`unknown plan tape operation ${operation} at word ${at - 1}`), { code: 'INTERNAL' });
    }
  }

  /**
   * The value of the operations at word `start` of `words`, whose `strings` string ends are at
   * word `endsAt` and whose strings are `strings`' text.
   */
  function valueOf(words, endsAt, start, strings, decoded) {
    // A read inside a read (a setter on Object.prototype that plans, say) must not disturb the
    // outer one: the outer read's state is put back when the inner one ends.
    const outer = [tape, ends, at, text, made];
    tape = words;
    ends = endsAt;
    at = start;
    text = decoded;
    made = new Array(strings);
    try {
      return value();
    } finally {
      [tape, ends, at, text, made] = outer;
    }
  }

  function read(words) {
    checkFormat(words[0]);
    learnShapes(words[1]);
    const strings = words[2];
    const start = HEADER_WORDS + strings;
    const textAt = start + words[4];
    const decoded = utf8.decode(new Uint8Array(words.buffer, words.byteOffset + textAt * 4, words[3]));
    return valueOf(words, HEADER_WORDS, start, strings, decoded);
  }

  function readAt(address) {
    const head = address >>> 2;
    checkFormat(memoryWords()[head]);
    learnShapes(words[head + 1]);
    const all = memoryWords();
    const decoded = utf8.decode(new Uint8Array(all.buffer, all[head + 7], all[head + 3]));
    return valueOf(all, all[head + 5] >>> 2, all[head + 6] >>> 2, all[head + 2], decoded);
  }

  return Object.assign(read, { readAt });
}

/**
 * Gives `wasm.Discovery` its `plan({ seed })`, read in place from `planTapeAt` (D58, D63), and
 * its `queries()`, each question's fields read from the tape of `queriesTapeAt` and its `wire`
 * copied from where `queryWiresAt` says the module keeps it (D66): the objects the generated
 * `queries()` builds field by field through calls into JS.
 */
export function definePlan(wasm, memory) {
  const { readAt } = tapeReader(wasm, memory);
  Object.defineProperty(wasm.Discovery.prototype, 'plan', {
    configurable: true,
    writable: true,
    value: function plan(options) {
      return readAt(this.planTapeAt(options == null ? undefined : options.seed));
    },
  });
  // Views of the whole memory, made again when it has grown (the old ones are then empty).
  let words = new Uint32Array(0);
  let bytes = new Uint8Array(0);
  Object.defineProperty(wasm.Discovery.prototype, 'queries', {
    configurable: true,
    writable: true,
    value: function queries() {
      const list = readAt(this.queriesTapeAt());
      const at = this.queryWiresAt() >>> 2;
      if (words.length === 0 || bytes.length === 0) {
        words = new Uint32Array(memory.buffer);
        bytes = new Uint8Array(memory.buffer);
      }
      for (let i = 0; i < list.length; i++) {
        const start = words[at + 2 * i];
        list[i].wire = bytes.slice(start, start + words[at + 2 * i + 1]);
      }
      return list;
    },
  });
}
