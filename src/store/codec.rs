//! Encoding of keys and values as the bytes redb stores.
//!
//! Every table is a redb table of raw bytes (`&[u8] → &[u8]`). Keys are encoded here in an
//! order-preserving, prefix-free way (fixed-width big-endian integers, escaped strings, tuples as
//! concatenations) so that a byte-wise range scan is a logical range scan; values are serde
//! structs encoded with `postcard`. Keeping redb's own view untyped is what lets the change log
//! record, and a replica re-apply, any write by table name and bytes alone.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A key or value could not be decoded from stored bytes.
#[derive(Debug, thiserror::Error)]
#[error("stored bytes could not be decoded: {0}")]
pub struct CodecError(pub String);

/// A type usable as (part of) a table key.
///
/// The encoding must be order-preserving (`a < b` ⇔ `encode(a) < encode(b)` byte-wise) and
/// prefix-free, so that tuples of keys sort like the tuples themselves.
pub trait KeyCodec: Sized {
    /// Appends the encoding of `self` to `out`.
    fn encode_key(&self, out: &mut Vec<u8>);
    /// Reads one key from the front of `input`, advancing it.
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError>;

    /// The encoding as a fresh vector.
    fn to_key_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16);
        self.encode_key(&mut out);
        out
    }

    /// Decodes a whole key; trailing bytes are an error.
    fn from_key_bytes(mut bytes: &[u8]) -> Result<Self, CodecError> {
        let key = Self::decode_key(&mut bytes)?;
        if bytes.is_empty() {
            Ok(key)
        } else {
            Err(CodecError(format!(
                "{} trailing bytes after key",
                bytes.len()
            )))
        }
    }
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Result<&'a [u8], CodecError> {
    if input.len() < n {
        return Err(CodecError(format!(
            "key too short: need {n} bytes, have {}",
            input.len()
        )));
    }
    let (head, tail) = input.split_at(n);
    *input = tail;
    Ok(head)
}

macro_rules! unsigned_key {
    ($($t:ty),*) => {$(
        impl KeyCodec for $t {
            fn encode_key(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_be_bytes());
            }
            fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
                let bytes = take(input, std::mem::size_of::<$t>())?;
                let mut buf = [0u8; std::mem::size_of::<$t>()];
                buf.copy_from_slice(bytes);
                Ok(<$t>::from_be_bytes(buf))
            }
        }
    )*};
}
unsigned_key!(u8, u16, u32, u64);

impl KeyCodec for i64 {
    fn encode_key(&self, out: &mut Vec<u8>) {
        // Flipping the sign bit makes two's complement sort like the numbers.
        out.extend_from_slice(&((*self as u64) ^ (1 << 63)).to_be_bytes());
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        let raw = u64::decode_key(input)?;
        Ok((raw ^ (1 << 63)) as i64)
    }
}

impl<const N: usize> KeyCodec for [u8; N] {
    fn encode_key(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        let mut buf = [0u8; N];
        buf.copy_from_slice(take(input, N)?);
        Ok(buf)
    }
}

impl KeyCodec for () {
    fn encode_key(&self, _out: &mut Vec<u8>) {}
    fn decode_key(_input: &mut &[u8]) -> Result<Self, CodecError> {
        Ok(())
    }
}

/// Strings are escaped (`00` → `00 FF`) and terminated by `00 00`: order-preserving and
/// prefix-free, so a string may stand anywhere in a tuple.
impl KeyCodec for String {
    fn encode_key(&self, out: &mut Vec<u8>) {
        for &b in self.as_bytes() {
            out.push(b);
            if b == 0 {
                out.push(0xFF);
            }
        }
        out.extend_from_slice(&[0, 0]);
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        let mut bytes = Vec::new();
        loop {
            let b = take(input, 1)?[0];
            if b != 0 {
                bytes.push(b);
                continue;
            }
            match take(input, 1)?[0] {
                0 => break,
                0xFF => bytes.push(0),
                other => return Err(CodecError(format!("bad string escape 0x{other:02x}"))),
            }
        }
        String::from_utf8(bytes).map_err(|e| CodecError(e.to_string()))
    }
}

macro_rules! tuple_key {
    ($($name:ident),+) => {
        impl<$($name: KeyCodec),+> KeyCodec for ($($name,)+) {
            #[allow(non_snake_case)]
            fn encode_key(&self, out: &mut Vec<u8>) {
                let ($($name,)+) = self;
                $($name.encode_key(out);)+
            }
            fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
                Ok(($($name::decode_key(input)?,)+))
            }
        }
    };
}
tuple_key!(A);
tuple_key!(A, B);
tuple_key!(A, B, C);
tuple_key!(A, B, C, D);

/// Encodes a stored value with postcard.
pub fn encode_value<V: Serialize>(value: &V) -> Result<Vec<u8>, CodecError> {
    postcard::to_stdvec(value).map_err(|e| CodecError(e.to_string()))
}

/// Decodes a stored value; bytes that do not fit the type are an error, never a panic.
pub fn decode_value<V: DeserializeOwned>(bytes: &[u8]) -> Result<V, CodecError> {
    postcard::from_bytes(bytes).map_err(|e| CodecError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn roundtrip<K: KeyCodec + PartialEq + std::fmt::Debug>(k: K) {
        let bytes = k.to_key_bytes();
        assert_eq!(K::from_key_bytes(&bytes).unwrap(), k);
    }

    proptest! {
        #[test]
        fn u64_order_and_roundtrip(a: u64, b: u64) {
            roundtrip(a);
            prop_assert_eq!(a.cmp(&b), a.to_key_bytes().cmp(&b.to_key_bytes()));
        }

        #[test]
        fn i64_order_and_roundtrip(a: i64, b: i64) {
            roundtrip(a);
            prop_assert_eq!(a.cmp(&b), a.to_key_bytes().cmp(&b.to_key_bytes()));
        }

        #[test]
        fn string_tuple_order_and_roundtrip(a: (String, u64), b: (String, u64)) {
            roundtrip(a.clone());
            prop_assert_eq!(a.cmp(&b), a.to_key_bytes().cmp(&b.to_key_bytes()));
        }

        #[test]
        fn strings_with_nul_keep_order(a in "[\\x00-\\x02a]{0,6}", b in "[\\x00-\\x02a]{0,6}") {
            roundtrip(a.clone());
            prop_assert_eq!(a.cmp(&b), a.to_key_bytes().cmp(&b.to_key_bytes()));
        }

        #[test]
        fn garbage_never_panics(bytes: Vec<u8>) {
            let _ = <(String, u64)>::from_key_bytes(&bytes);
            let _ = decode_value::<(String, Vec<u64>)>(&bytes);
        }
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        let mut bytes = 7u64.to_key_bytes();
        bytes.push(1);
        assert!(u64::from_key_bytes(&bytes).is_err());
    }
}
