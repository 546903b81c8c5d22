//! How the model's own types are encoded as keys (fixed-width, big-endian, so ranges work).
//! The model knows nothing of storage; the store implements [`KeyCodec`] for what it keys by.

use crate::model::IdKind;
use crate::model::blobs::BlobId;
use crate::model::directory::{ClassId, GroupId, PersonId, SchoolYear};
use crate::model::documents::{Grantee, Space};

use super::{CodecError, KeyCodec};

/// Every typed id is its `u64`.
impl<I: IdKind> KeyCodec for I {
    fn encode_key(&self, out: &mut Vec<u8>) {
        self.raw().encode_key(out)
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        Ok(I::from_raw(u64::decode_key(input)?))
    }
}

impl KeyCodec for SchoolYear {
    fn encode_key(&self, out: &mut Vec<u8>) {
        self.0.encode_key(out)
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        Ok(SchoolYear(u16::decode_key(input)?))
    }
}

impl KeyCodec for Space {
    fn encode_key(&self, out: &mut Vec<u8>) {
        self.kind_code().encode_key(out);
        self.raw_id().encode_key(out);
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        let kind = u8::decode_key(input)?;
        let id = u64::decode_key(input)?;
        Space::from_parts(kind, id).ok_or_else(|| CodecError(format!("unknown space kind {kind}")))
    }
}

impl KeyCodec for Grantee {
    fn encode_key(&self, out: &mut Vec<u8>) {
        self.kind_code().encode_key(out);
        self.raw_id().encode_key(out);
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        let kind = u8::decode_key(input)?;
        let id = u64::decode_key(input)?;
        Ok(match kind {
            1 => Grantee::Person(PersonId(id)),
            2 => Grantee::Class(ClassId(id)),
            3 => Grantee::Group(GroupId(id)),
            _ => return Err(CodecError(format!("unknown grantee kind {kind}"))),
        })
    }
}

impl KeyCodec for BlobId {
    fn encode_key(&self, out: &mut Vec<u8>) {
        self.0.encode_key(out)
    }
    fn decode_key(input: &mut &[u8]) -> Result<Self, CodecError> {
        Ok(BlobId(<[u8; 32]>::decode_key(input)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_key_is_its_raw_bytes() {
        let id = BlobId([7; 32]);
        assert_eq!(id.to_key_bytes(), vec![7; 32]);
        assert_eq!(BlobId::from_key_bytes(&[7; 32]).unwrap(), id);
        assert!(BlobId::from_key_bytes(&[7; 31]).is_err());
    }
}
