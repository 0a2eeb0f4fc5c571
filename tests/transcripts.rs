//! Plays every manual transcript in `tests/transcripts/<profile>/*.txt`.
//!
//! Format: `>` a line the MCU sends, `<` a line the module prints (exact text,
//! CR LF framing implied), `!notmine` after a `>` line: lwat must not claim
//! it; `#` comments. The directory names the profile. Engines run with
//! `AT+CMEE=1` (numbered errors), as the manuals' examples do.

mod common;
use common::{framed, profile_by_name, Module};
use lwat::Handled;
use std::fs;
use std::path::Path;

fn play(path: &Path, profile: &str) -> Result<usize, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut module = Module::new(profile_by_name(profile));
    let mut steps = 0;
    let mut pending: Option<(usize, String, (Handled, String))> = None;
    let mut expected: Vec<String> = Vec::new();
    let mut not_mine = false;

    let check = |pending: &mut Option<(usize, String, (Handled, String))>,
                 expected: &mut Vec<String>,
                 not_mine: &mut bool|
     -> Result<(), String> {
        if let Some((lineno, cmd, (handled, out))) = pending.take() {
            let want_handled = if *not_mine { Handled::NotMine } else { Handled::Mine };
            let want = framed(&expected.iter().map(String::as_str).collect::<Vec<_>>());
            if handled != want_handled || out != want {
                return Err(format!(
                    "{}:{lineno}: {cmd}\n  expected {want_handled:?} {want:?}\n  got      {handled:?} {out:?}",
                    path.display()
                ));
            }
        }
        expected.clear();
        *not_mine = false;
        Ok(())
    };

    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if let Some(cmd) = line.strip_prefix("> ") {
            check(&mut pending, &mut expected, &mut not_mine)?;
            let result = module.at_bytes(cmd.as_bytes());
            pending = Some((i + 1, cmd.to_string(), result));
            steps += 1;
        } else if let Some(resp) = line.strip_prefix("< ") {
            expected.push(resp.to_string());
        } else if line == "!notmine" {
            not_mine = true;
        } else if !(line.is_empty() || line.starts_with('#')) {
            return Err(format!("{}:{}: unknown line {line:?}", path.display(), i + 1));
        }
    }
    check(&mut pending, &mut expected, &mut not_mine)?;
    Ok(steps)
}

#[test]
fn manual_transcripts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut failures = Vec::new();
    let mut files = 0;
    for profile in ["onemo", "bc260y", "qla"] {
        let dir = root.join(profile);
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            files += 1;
            match play(&path, profile) {
                Ok(steps) => assert!(steps > 0, "{} has no steps", path.display()),
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcript(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{files} transcript files played");
}
