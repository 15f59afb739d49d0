/**
 * A minimal protobuf writer for the handful of ONNX messages a tiny test model needs
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto). Field numbers
 * follow onnx/onnx.proto3; only what the generator uses is encoded, so there is no dependency on
 * protobufjs or a Python toolchain.
 */

/** Bytes of one message, built field by field. */
class Message {
  private readonly parts: Uint8Array[] = [];

  varintField(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.parts.push(varint(BigInt(value)));
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, 2);
    this.parts.push(varint(BigInt(bytes.length)), bytes);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  messageField(field: number, message: Message): this {
    return this.bytesField(field, message.finish());
  }

  floatField(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(b);
    return this;
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts);
  }

  private tag(field: number, wireType: number): void {
    this.parts.push(varint(BigInt((field << 3) | wireType)));
  }
}

/** Base-128 varint; negative int64 values take ten bytes (two's complement), as protobuf does. */
function varint(value: bigint): Uint8Array {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export interface TensorSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Little-endian element bytes (raw_data). */
  data: Float32Array | BigInt64Array | Int32Array;
}

export type AttributeValue = { int: number } | { ints: readonly number[] } | { float: number } | { tensor: TensorSpec };

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A graph input/output: a tensor of `dataType` whose dims are fixed numbers or symbolic names. */
export interface ValueInfoSpec {
  name: string;
  dataType: DataTypeCode;
  shape: readonly (number | string)[];
}

export interface ModelSpec {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  graphName: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
}

function tensorProto(t: TensorSpec): Message {
  const m = new Message();
  for (const d of t.dims) m.varintField(1, d);
  m.varintField(2, t.dataType);
  m.stringField(8, t.name);
  // Typed arrays are little-endian on every platform Node runs ONNX Runtime on.
  m.bytesField(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return m;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_TENSOR = 4;
const ATTR_INTS = 7;

function attributeProto(name: string, value: AttributeValue): Message {
  const m = new Message().stringField(1, name);
  if ('int' in value) m.varintField(3, value.int).varintField(20, ATTR_INT);
  else if ('float' in value) m.floatField(2, value.float).varintField(20, ATTR_FLOAT);
  else if ('ints' in value) {
    for (const i of value.ints) m.varintField(8, i);
    m.varintField(20, ATTR_INTS);
  } else m.messageField(5, tensorProto(value.tensor)).varintField(20, ATTR_TENSOR);
  return m;
}

function nodeProto(n: NodeSpec): Message {
  const m = new Message();
  for (const i of n.inputs) m.stringField(1, i);
  for (const o of n.outputs) m.stringField(2, o);
  if (n.name) m.stringField(3, n.name);
  m.stringField(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) m.messageField(5, attributeProto(name, value));
  return m;
}

function valueInfoProto(v: ValueInfoSpec): Message {
  const shape = new Message();
  for (const d of v.shape) shape.messageField(1, typeof d === 'number' ? new Message().varintField(1, d) : new Message().stringField(2, d));
  const tensorType = new Message().varintField(1, v.dataType).messageField(2, shape);
  const type = new Message().messageField(1, tensorType);
  return new Message().stringField(1, v.name).messageField(2, type);
}

/** Serialized ModelProto, ready to be written as `model.onnx`. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const graph = new Message();
  for (const n of spec.nodes) graph.messageField(1, nodeProto(n));
  graph.stringField(2, spec.graphName);
  for (const t of spec.initializers) graph.messageField(5, tensorProto(t));
  for (const i of spec.inputs) graph.messageField(11, valueInfoProto(i));
  for (const o of spec.outputs) graph.messageField(12, valueInfoProto(o));
  const opset = new Message().stringField(1, '').varintField(2, spec.opsetVersion);
  return new Message()
    .varintField(1, spec.irVersion)
    .stringField(2, spec.producerName)
    .messageField(7, graph)
    .messageField(8, opset)
    .finish();
}
