#!/usr/bin/env python3
"""Writes the small GGUF headers that seed FuzzGGUF (corpus/FuzzGGUF/): python3 Fuzz/make-gguf-seeds.py.

Each is a valid GGUF v3 header (magic, version, tensor count, key-value pairs) with no tensors, covering every
value type the reader knows: the integers, floats, bool, strings, and arrays of scalars, of strings and of arrays.
"""
import os
import struct

U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 = range(13)
SCALARS = {U8: "<B", I8: "<b", U16: "<H", I16: "<h", U32: "<I", I32: "<i", F32: "<f", BOOL: "<?",
           U64: "<Q", I64: "<q", F64: "<d"}


def string(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def value(kind, payload):
    if kind == STRING:
        return string(payload)
    if kind == ARRAY:
        element_kind, elements = payload
        body = b"".join(value(element_kind, element) for element in elements)
        return struct.pack("<IQ", element_kind, len(elements)) + body
    return struct.pack(SCALARS[kind], payload)


def header(pairs, version=3):
    body = b"".join(string(key) + struct.pack("<I", kind) + value(kind, payload) for key, kind, payload in pairs)
    return b"GGUF" + struct.pack("<IQQ", version, 0, len(pairs)) + body


def nested(depth):
    """An array of arrays `depth` levels deep (depth 1 is a flat array of one u8), for the reader's depth limit."""
    payload = (U8, [7])
    for _ in range(depth - 1):
        payload = (ARRAY, [payload])
    return payload


SEEDS = {
    "minimal.gguf": header([("general.architecture", STRING, "llama")]),
    "llama.gguf": header([
        ("general.architecture", STRING, "llama"),
        ("general.name", STRING, "SmolLM2 135M Instruct"),
        ("general.file_type", U32, 15),
        ("llama.context_length", U32, 8192),
        ("llama.embedding_length", U64, 576),
        ("llama.rope.freq_base", F32, 100000.0),
        ("tokenizer.ggml.model", STRING, "gpt2"),
        ("tokenizer.ggml.tokens", ARRAY, (STRING, ["<|im_start|>", "<|im_end|>", "a", "b"])),
        ("tokenizer.ggml.token_type", ARRAY, (I32, [3, 3, 1, 1])),
        ("tokenizer.chat_template", STRING,
         "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
         "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"),
    ]),
    "every-type.gguf": header([
        ("u8", U8, 255), ("i8", I8, -128), ("u16", U16, 65535), ("i16", I16, -32768),
        ("u32", U32, 4294967295), ("i32", I32, -2147483648), ("f32", F32, 1.5), ("bool", BOOL, True),
        ("string", STRING, "text"), ("u64", U64, 2**64 - 1), ("i64", I64, -2**63), ("f64", F64, -0.25),
        ("floats", ARRAY, (F32, [0.5, 1.0])), ("bools", ARRAY, (BOOL, [True, False])),
        ("nested", ARRAY, (ARRAY, [(U8, [1, 2]), (STRING, ["x"])])),
        ("empty", ARRAY, (U64, [])),
    ], version=2),
    "nested-arrays.gguf": header([("general.architecture", STRING, "llama"), ("deep", ARRAY, nested(60))]),
}

if __name__ == "__main__":
    directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "FuzzGGUF")
    os.makedirs(directory, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(directory, name), "wb") as file:
            file.write(data)
