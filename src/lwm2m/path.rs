//! LwM2M paths (`/3311/0/5700`) as the Uri-Path of a server request.

use super::decimal;
use crate::coap::Options;

/// Deepest path LwM2M 1.0 addresses: object / instance / resource.
pub const DEPTH: usize = 3;

/// An object, object-instance or resource path (empty = the root `/`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Path {
    ids: [u16; DEPTH],
    len: u8,
}

impl Path {
    /// A path from ids; `None` when deeper than [`DEPTH`].
    pub fn new(ids: &[u16]) -> Option<Path> {
        let mut path = Path::default();
        path.ids.get_mut(..ids.len())?.copy_from_slice(ids);
        path.len = ids.len() as u8;
        Some(path)
    }

    /// The ids, outermost first.
    pub fn as_slice(&self) -> &[u16] {
        self.ids.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// The Uri-Path of a request as numbers; `None` when a segment is not
    /// a number 0..65535 or the path is deeper than [`DEPTH`] (answered
    /// 4.04 by the caller). LwM2M 1.0 reserves 65535, so it is refused too.
    pub fn from_options(options: &Options<'_>) -> Option<Path> {
        let mut path = Path::default();
        for segment in options.uri_path() {
            let id = decimal(segment, 65534)? as u16;
            *path.ids.get_mut(usize::from(path.len))? = id;
            path.len += 1;
        }
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coap::{number, Builder, Code, Repr, Type};

    fn parse(segments: &[&[u8]]) -> Option<Path> {
        let mut buf = [0u8; 64];
        let mut b = Builder::new(&mut buf, Type::Con, Code::GET, 1, &[]).unwrap();
        for s in segments {
            b.option(number::URI_PATH, s).unwrap();
        }
        let n = b.finish(&[]).unwrap();
        Path::from_options(&Repr::parse(&buf[..n]).unwrap().options)
    }

    #[test]
    fn numeric_paths() {
        assert_eq!(parse(&[]).unwrap().as_slice(), &[] as &[u16]);
        assert_eq!(parse(&[b"1", b"0", b"7"]).unwrap().as_slice(), &[1, 0, 7]);
        assert_eq!(parse(&[b"3311", b"65534"]).unwrap().as_slice(), &[3311, 65534]);
        assert_eq!(parse(&[b"bs"]), None);
        assert_eq!(parse(&[b"1", b"0", b"7", b"0"]), None);
        assert_eq!(parse(&[b"65535"]), None);
        assert_eq!(parse(&[b"-1"]), None);
        assert_eq!(parse(&[b""]), None);
        assert_eq!(Path::new(&[1, 2, 3, 4]), None);
    }
}
