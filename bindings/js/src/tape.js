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

/** Sets own property `key` of `object`, `__proto__` included (as `JSON.parse` does). */
function put(object, key, value) {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/**
 * A function that builds an object of the field names `keys`, taking each value from `next()` in
 * order: an object literal compiled once (every object of a shape then shares one hidden class),
 * or, where code generation is disallowed (`--disallow-code-generation-from-strings`) or a name
 * is not a plain identifier, a loop.
 */
function shapeBuilder(keys) {
  if (keys.every((k) => IDENTIFIER.test(k) && k !== '__proto__')) {
    try {
      // eslint-disable-next-line no-new-func
      return new Function('next', `return { ${keys.map((k) => `${k}: next()`).join(', ')} };`);
    } catch {
      // Code generation from strings is disallowed: the loop below.
    }
  }
  return (next) => {
    const o = {};
    for (const k of keys) put(o, k, next());
    return o;
  };
}

/**
 * The plan reader of the module `wasm` (its `planShapes` names the shapes it numbered):
 * `read(tape)` gives the plan of a `Uint32Array` tape.
 */
export function tapeReader(wasm) {
  const builders = [];
  const utf8 = new TextDecoder();
  const scratch = new DataView(new ArrayBuffer(8));

  return function read(tape) {
    if (tape[0] !== FORMAT) throw Object.assign(new Error(`plan tape of format ${tape[0]}, expected ${FORMAT}`), { code: 'INTERNAL' });
    if (tape[1] > builders.length) {
      for (const keys of JSON.parse(wasm.planShapes(builders.length))) builders.push(shapeBuilder(keys));
    }
    const strings = tape[2];
    const ends = HEADER_WORDS;
    let at = HEADER_WORDS + strings;
    const textAt = at + tape[4];
    const text = utf8.decode(new Uint8Array(tape.buffer, tape.byteOffset + textAt * 4, tape[3]));
    const made = new Array(strings);
    const string = (i) => made[i] ?? (made[i] = text.slice(i === 0 ? 0 : tape[ends + i - 1], tape[ends + i]));

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
          for (let i = 0; i < length; i++) array.push(next());
          return array;
        }
        case SHAPE: return builders[tape[at++]](next);
        case OBJ: {
          const entries = tape[at++];
          const object = {};
          for (let i = 0; i < entries; i++) {
            const key = next();
            put(object, key, next());
          }
          return object;
        }
        case JSON_TEXT: return JSON.parse(string(tape[at++]));
        default: throw Object.assign(new Error(`unknown plan tape operation ${operation} at word ${at - 1}`), { code: 'INTERNAL' });
      }
    }
    return next();
  };
}

/** Gives `wasm.Discovery` its `plan({ seed })`, read from `planTape`. */
export function definePlan(wasm) {
  const read = tapeReader(wasm);
  Object.defineProperty(wasm.Discovery.prototype, 'plan', {
    configurable: true,
    writable: true,
    value: function plan(options) {
      return read(this.planTape(options == null ? undefined : options.seed));
    },
  });
}
