//! Splits one command line into its name and form (test, read, set, execute).
//!
//! A hand-written loop: it is shorter and smaller than a combinator parser
//! for a grammar this flat.

/// The four AT command forms (seed 001 §2.1 table 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form<'a> {
    /// `AT+CMD`
    Exec,
    /// `AT+CMD?`
    Read,
    /// `AT+CMD=?`
    Test,
    /// `AT+CMD=<params>`; the slice is everything after `=`.
    Set(&'a [u8]),
    /// Something follows the name that is none of the above (`AT+CMD?x`).
    Malformed,
}

/// One extended-syntax command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Command<'a> {
    /// The name without `+`, as typed (compare with [`Command::is`]).
    pub name: &'a [u8],
    /// What follows the name.
    pub form: Form<'a>,
}

impl Command<'_> {
    /// Case-insensitive name comparison (`at+miplcreate` is `AT+MIPLCREATE`).
    pub fn is(&self, name: &[u8]) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// Splits `line` (with or without `AT`/`at`, CR/LF tolerated at the end).
/// Returns `None` when the line is not an extended `+` command at all.
pub fn split(line: &[u8]) -> Option<Command<'_>> {
    let mut line = line;
    while let [rest @ .., b'\r' | b'\n'] = line {
        line = rest;
    }
    if let Some((_, rest)) = line
        .split_at_checked(2)
        .filter(|(at, _)| at.eq_ignore_ascii_case(b"AT"))
    {
        line = rest;
    }
    let body = line.strip_prefix(b"+")?;
    let name_len = body
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    if name_len == 0 {
        return None;
    }
    let (name, tail) = body.split_at_checked(name_len)?;
    let form = match tail {
        [] => Form::Exec,
        [b'?'] => Form::Read,
        [b'=', b'?'] => Form::Test,
        [b'=', params @ ..] => Form::Set(params),
        _ => Form::Malformed,
    };
    Some(Command { name, form })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(split(b"AT+MIPLCREATE").unwrap().form, Form::Exec);
        assert_eq!(split(b"at+miplopen?").unwrap().form, Form::Read);
        assert_eq!(split(b"+QLACFG=?").unwrap().form, Form::Test);
        assert_eq!(split(b"AT+MIPLDELETE=0\r\n").unwrap().form, Form::Set(b"0"));
        assert_eq!(split(b"AT+MIPLDELETE?0").unwrap().form, Form::Malformed);
        assert!(split(b"AT+MIPLVER?").unwrap().is(b"MIPLVER"));
    }

    #[test]
    fn not_extended() {
        assert_eq!(split(b"ATI"), None);
        assert_eq!(split(b"AT"), None);
        assert_eq!(split(b"AT+"), None);
        assert_eq!(split(b""), None);
        assert_eq!(split(b"AT+=1"), None);
    }
}
