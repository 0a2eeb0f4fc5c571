//! The C ABI: `lwat_init`, `lwat_at_command`, `lwat_udp_input`, `lwat_poll`
//! and friends. The only module with `unsafe`; every pointer is checked here
//! and nothing below sees a raw pointer.
//!
//! `include/lwat.h` is generated from this file by cbindgen (`cbindgen.toml`):
//! the doc comments here are the header's documentation, so they speak C.
//! Return codes: `LWAT_OK` (0), `LWAT_NOT_MINE` (> 0, not an error), API
//! misuse < 0. No entry point blocks, allocates or re-enters.
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_void};
use core::mem::{align_of, size_of};

use crate::dialect::profile::ProfileId;
use crate::engine::{Engine, Handled, Settings};
use crate::host::Host;

/// Bytes of caller-owned storage for one engine (`lwat_init`'s `mem`), which
/// must be `LWAT_CTX_ALIGN`-byte aligned. A compile-time assertion keeps it
/// true; `lwat_ctx_size()` tells how much of it this build really uses.
pub const LWAT_CTX_SIZE: usize = 6144;

/// Alignment `lwat_init` requires of `mem`:
/// `static _Alignas(LWAT_CTX_ALIGN) uint8_t mem[LWAT_CTX_SIZE];`
pub const LWAT_CTX_ALIGN: usize = 8;

/// Profile: China Mobile OneMO modules (MN316, ML307R, ...), MIPL commands.
pub const LWAT_PROFILE_ONEMO: u32 = 0;
/// Profile: Quectel BC260Y-CN, MIPL commands as Quectel implements them.
pub const LWAT_PROFILE_BC260Y: u32 = 1;
/// Profile: Quectel BC26 standard LwM2M, QLA commands.
pub const LWAT_PROFILE_QLA: u32 = 2;

/// Success.
pub const LWAT_OK: i32 = 0;
/// The line is not a command of this profile; nothing was written.
pub const LWAT_NOT_MINE: i32 = 1;
/// A required pointer was NULL.
pub const LWAT_ERR_NULL: i32 = -1;
/// An argument is out of range.
pub const LWAT_ERR_ARG: i32 = -2;

/// Engine settings. Strings are copied (at most 64 bytes of each are read);
/// NULL or "" selects the default. An
/// all-zero field always means "default"; fields may be added at the end.
#[repr(C)]
pub struct lwat_config {
    /// `LWAT_PROFILE_ONEMO` (0, the default), `LWAT_PROFILE_BC260Y` or `LWAT_PROFILE_QLA`.
    pub profile: u32,
    /// IMEI, NUL-terminated (default "000000000000000").
    pub imei: *const c_char,
    /// IMSI, NUL-terminated (default "000000000000000").
    pub imsi: *const c_char,
    /// Firmware version, NUL-terminated (default "lwat-0.1.0").
    pub firmware_version: *const c_char,
    /// 0, 1, 2 as `AT+CMEE`: 0 prints `ERROR`, 1 and 2 the numbered error line.
    pub cmee_mode: u8,
}

/// Services the firmware provides. Every callback may be NULL and receives
/// `user` first. A callback must not call back into lwat.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lwat_callbacks {
    /// Passed unchanged to every callback.
    pub user: *mut c_void,
    /// Responses and URCs, framed with CR LF; a line may arrive in several calls.
    pub at_output: Option<unsafe extern "C" fn(user: *mut c_void, text: *const u8, len: usize)>,
    /// Opens a UDP endpoint: `host` NUL-terminated, no port in it. Returns an endpoint id >= 0, or < 0.
    pub udp_open: Option<unsafe extern "C" fn(user: *mut c_void, host: *const c_char, port: u16) -> i32>,
    /// Sends one datagram with the MCU's release-assistance value. Returns 0, or < 0.
    pub udp_send:
        Option<unsafe extern "C" fn(user: *mut c_void, endpoint: i32, data: *const u8, len: usize, rai: u8) -> i32>,
    /// Closes an endpoint.
    pub udp_close: Option<unsafe extern "C" fn(user: *mut c_void, endpoint: i32)>,
    /// Reads NV record `key` into `buf`. Returns bytes read, or < 0 when absent.
    pub nv_read: Option<unsafe extern "C" fn(user: *mut c_void, key: u16, buf: *mut u8, cap: usize) -> i32>,
    /// Writes NV record `key`. Returns 0, or < 0.
    pub nv_write: Option<unsafe extern "C" fn(user: *mut c_void, key: u16, data: *const u8, len: usize) -> i32>,
    /// A random 32-bit value. When NULL lwat uses its own generator seeded from the IMEI.
    pub random: Option<unsafe extern "C" fn(user: *mut c_void) -> u32>,
}

/// One engine in caller-owned memory. Opaque to C.
pub struct lwat_ctx {
    engine: Engine,
    host: CHost,
}

const _: () = assert!(size_of::<lwat_ctx>() <= LWAT_CTX_SIZE, "LWAT_CTX_SIZE is too small");
const _: () = assert!(
    align_of::<lwat_ctx>() <= LWAT_CTX_ALIGN,
    "lwat_ctx needs more than LWAT_CTX_ALIGN"
);

/// The C callbacks as a [`Host`].
struct CHost {
    cb: lwat_callbacks,
    rng: u32,
}

impl Host for CHost {
    fn at_output(&mut self, text: &[u8]) {
        if let Some(f) = self.cb.at_output {
            // SAFETY: the firmware's callback, given a valid slice.
            unsafe { f(self.cb.user, text.as_ptr(), text.len()) }
        }
    }

    fn udp_open(&mut self, host: &[u8], port: u16) -> i32 {
        let Some(f) = self.cb.udp_open else { return -1 };
        // NUL-terminate on the stack: host names are short (LWAT_HOST_MAX).
        let mut name = [0u8; crate::config::HOST_MAX + 1];
        if host.len() > crate::config::HOST_MAX || crate::bytes::has_byte(host, 0) {
            return -1;
        }
        for (slot, &b) in name.iter_mut().zip(host) {
            *slot = b;
        }
        // SAFETY: `name` is NUL-terminated and outlives the call.
        unsafe { f(self.cb.user, name.as_ptr().cast(), port) }
    }

    fn udp_send(&mut self, endpoint: i32, data: &[u8], rai: u8) -> i32 {
        match self.cb.udp_send {
            // SAFETY: valid slice for the duration of the call.
            Some(f) => unsafe { f(self.cb.user, endpoint, data.as_ptr(), data.len(), rai) },
            None => -1,
        }
    }

    fn udp_close(&mut self, endpoint: i32) {
        if let Some(f) = self.cb.udp_close {
            // SAFETY: plain values.
            unsafe { f(self.cb.user, endpoint) }
        }
    }

    fn nv_read(&mut self, key: u16, buf: &mut [u8]) -> i32 {
        let Some(f) = self.cb.nv_read else { return -1 };
        // SAFETY: valid writable slice for the duration of the call.
        let n = unsafe { f(self.cb.user, key, buf.as_mut_ptr(), buf.len()) };
        // A callback claiming more than the buffer holds is treated as absent.
        if n as usize > buf.len() {
            -1
        } else {
            n
        }
    }

    fn nv_write(&mut self, key: u16, data: &[u8]) -> i32 {
        match self.cb.nv_write {
            // SAFETY: valid slice for the duration of the call.
            Some(f) => unsafe { f(self.cb.user, key, data.as_ptr(), data.len()) },
            None => -1,
        }
    }

    fn random(&mut self) -> u32 {
        if let Some(f) = self.cb.random {
            // SAFETY: plain call.
            return unsafe { f(self.cb.user) };
        }
        // xorshift32: only used when the firmware has no entropy source.
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng = x;
        x
    }
}

/// Longest configuration string lwat reads; the engine keeps less (IMEI and
/// IMSI 16 bytes, firmware version 32), so this only bounds the scan.
const CONFIG_STRING_MAX: usize = 64;

/// Reads a nullable C string: the bytes before the NUL, at most
/// [`CONFIG_STRING_MAX`] of them. A bounded loop rather than `CStr`, which
/// would pull `strlen` (a libc routine) into the image and scan without limit.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string (or to at least
/// `CONFIG_STRING_MAX` readable bytes).
unsafe fn c_bytes<'a>(p: *const c_char) -> &'a [u8] {
    if p.is_null() {
        return b"";
    }
    let p = p.cast::<u8>();
    let mut len = 0;
    // SAFETY: every byte up to and including the NUL is readable.
    while len < CONFIG_STRING_MAX && unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: the `len` bytes just read.
    unsafe { core::slice::from_raw_parts(p, len) }
}

fn seed_from(bytes: &[u8]) -> u32 {
    // FNV-1a; never zero, which xorshift cannot leave.
    let h = bytes
        .iter()
        .fold(0x811c_9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x0100_0193));
    h | 1
}

/// Starts an engine in `mem` (`len` >= `LWAT_CTX_SIZE` bytes, aligned to
/// `LWAT_CTX_ALIGN`) and restores what NV holds (through `nv_read`). Returns
/// the engine, a pointer into `mem`; NULL when `mem`, `cfg` or `cb` is NULL,
/// `mem` is too small or misaligned, `cfg->profile` is unknown or
/// `cfg->cmee_mode` > 2. `cfg` and `cb` are copied: they need not outlive
/// the call. Calling it again on the same memory starts a fresh engine; there
/// is nothing to free (drop the memory when done).
///
/// # Safety
/// `mem` must be valid for `len` bytes and not used for anything else while
/// the engine lives; `cfg` and `cb` must point to valid structs.
#[no_mangle]
pub unsafe extern "C" fn lwat_init(
    mem: *mut c_void,
    len: usize,
    cfg: *const lwat_config,
    cb: *const lwat_callbacks,
) -> *mut lwat_ctx {
    if mem.is_null()
        || cfg.is_null()
        || cb.is_null()
        || len < size_of::<lwat_ctx>()
        || (mem as usize) % LWAT_CTX_ALIGN != 0
    {
        return core::ptr::null_mut();
    }
    // SAFETY: checked non-NULL; the caller promises valid structs.
    let (cfg, cb) = unsafe { (&*cfg, *cb) };
    let profile = match cfg.profile {
        LWAT_PROFILE_ONEMO => ProfileId::Onemo,
        LWAT_PROFILE_BC260Y => ProfileId::Bc260y,
        LWAT_PROFILE_QLA => ProfileId::Qla,
        _ => return core::ptr::null_mut(),
    };
    if cfg.cmee_mode > 2 {
        return core::ptr::null_mut();
    }
    // SAFETY: NULL or NUL-terminated, as documented.
    let (imei, imsi, fw) = unsafe { (c_bytes(cfg.imei), c_bytes(cfg.imsi), c_bytes(cfg.firmware_version)) };
    let settings = Settings {
        profile,
        imei,
        imsi,
        firmware_version: fw,
        cmee_mode: cfg.cmee_mode,
    };
    let mut host = CHost {
        cb,
        rng: seed_from(imei),
    };
    let engine = Engine::new(&settings, &mut host);
    let ctx = mem.cast::<lwat_ctx>();
    // SAFETY: `mem` is large enough and aligned (checked above) and owned by us.
    unsafe { ctx.write(lwat_ctx { engine, host }) };
    ctx
}

/// Hands lwat one complete command line (with or without `AT`/`at`, no CR/LF).
/// For a command of the profile's family lwat writes the whole response,
/// final `OK` or error line included, through `at_output` before returning
/// and returns `LWAT_OK`; otherwise it writes nothing and returns
/// `LWAT_NOT_MINE`. Negative: `ctx` or `line` is NULL.
///
/// # Safety
/// `ctx` comes from `lwat_init`; `line` is valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lwat_at_command(ctx: *mut lwat_ctx, now_ms: u64, line: *const u8, len: usize) -> i32 {
    if ctx.is_null() || line.is_null() {
        return LWAT_ERR_NULL;
    }
    // SAFETY: checked; the caller promises `len` readable bytes.
    let (ctx, line) = unsafe { (&mut *ctx, core::slice::from_raw_parts(line, len)) };
    with_lock(|| match ctx.engine.at_command(&mut ctx.host, now_ms, line) {
        Handled::Mine => LWAT_OK,
        Handled::NotMine => LWAT_NOT_MINE,
    })
}

/// Hands lwat one datagram received on `endpoint`. Malformed datagrams are
/// dropped without disturbing the session. Returns `LWAT_OK`, or negative
/// when `ctx` or `data` is NULL.
///
/// # Safety
/// `ctx` comes from `lwat_init`; `data` is valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lwat_udp_input(
    ctx: *mut lwat_ctx,
    now_ms: u64,
    endpoint: i32,
    data: *const u8,
    len: usize,
) -> i32 {
    if ctx.is_null() || data.is_null() {
        return LWAT_ERR_NULL;
    }
    // SAFETY: checked; the caller promises `len` readable bytes.
    let (ctx, data) = unsafe { (&mut *ctx, core::slice::from_raw_parts(data, len)) };
    with_lock(|| ctx.engine.udp_input(&mut ctx.host, now_ms, endpoint, data));
    LWAT_OK
}

/// Does what is due at `now_ms` (retransmissions, lifetime updates, time-outs)
/// and returns the milliseconds until lwat wants to be called again;
/// `UINT64_MAX` means never (nothing pending) — and for a NULL `ctx`.
///
/// # Safety
/// `ctx` comes from `lwat_init`.
#[no_mangle]
pub unsafe extern "C" fn lwat_poll(ctx: *mut lwat_ctx, now_ms: u64) -> u64 {
    if ctx.is_null() {
        return u64::MAX;
    }
    // SAFETY: checked.
    let ctx = unsafe { &mut *ctx };
    with_lock(|| ctx.engine.poll(&mut ctx.host, now_ms))
}

/// Tells lwat the firmware woke from deep sleep that lasted `slept_ms`
/// milliseconds; call it right after `lwat_init` on wake-up. A profile that
/// keeps its LwM2M session across sleep resumes it (qla, `"recovery_mode"`
/// 0: an Update to the server and `+QLAURC: "recovered",<status>`; mode 1
/// waits for `AT+QLARECOVER`); the others ignore it. Returns `LWAT_OK`, or
/// `LWAT_ERR_NULL` for a NULL `ctx`.
///
/// # Safety
/// `ctx` comes from `lwat_init`.
#[no_mangle]
pub unsafe extern "C" fn lwat_resume(ctx: *mut lwat_ctx, now_ms: u64, slept_ms: u64) -> i32 {
    if ctx.is_null() {
        return LWAT_ERR_NULL;
    }
    // SAFETY: checked.
    let ctx = unsafe { &mut *ctx };
    with_lock(|| ctx.engine.resume(&mut ctx.host, now_ms, slept_ms));
    LWAT_OK
}

/// Tells lwat the `AT+CMEE` mode (0, 1, 2) after the firmware handled
/// `AT+CMEE=<n>` itself. Returns `LWAT_OK`, `LWAT_ERR_NULL` or `LWAT_ERR_ARG`
/// (mode > 2; the mode is then unchanged).
///
/// # Safety
/// `ctx` comes from `lwat_init`.
#[no_mangle]
pub unsafe extern "C" fn lwat_set_cmee(ctx: *mut lwat_ctx, mode: u8) -> i32 {
    if ctx.is_null() {
        return LWAT_ERR_NULL;
    }
    // SAFETY: checked.
    let ctx = unsafe { &mut *ctx };
    if with_lock(|| ctx.engine.set_cmee(mode)) {
        LWAT_OK
    } else {
        LWAT_ERR_ARG
    }
}

/// Bytes of `mem` this build of lwat really uses (<= `LWAT_CTX_SIZE`): for
/// footprint reports and for firmware that checks its header against the
/// library it links.
#[no_mangle]
pub extern "C" fn lwat_ctx_size() -> usize {
    size_of::<lwat_ctx>()
}

/// The library version, NUL-terminated ("0.1.0"), for `AT+CGMR`-style reports.
#[no_mangle]
pub extern "C" fn lwat_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

const VERSION: &[u8] = concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes();

extern "C" {
    /// Firmware hook, bare-metal builds only: lwat's panic handler calls it if
    /// the impossible happens (lwat is written never to panic;
    /// tools/footprint.sh reports whether any panic path is linked at all).
    /// Log, reset the module, never return.
    pub fn lwat_platform_fatal() -> !;
}

/// Bare metal has no panic runtime: hand the impossible to the firmware.
/// (Hosted builds link std's, with `panic = "abort"`.)
#[cfg(all(not(test), target_os = "none"))]
#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: the firmware provides this hook on bare metal (see above).
    unsafe { lwat_platform_fatal() }
}

#[cfg(feature = "critical-section")]
fn with_lock<R>(f: impl FnOnce() -> R) -> R {
    critical_section::with(|_| f())
}

#[cfg(not(feature = "critical-section"))]
fn with_lock<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// With feature `critical-section`, the lock forwards to two C hooks the
/// firmware provides: `uint32_t lwat_platform_irq_save(void)` and
/// `void lwat_platform_irq_restore(uint32_t state)`.
#[cfg(feature = "critical-section")]
mod platform_lock {
    extern "C" {
        /// Firmware hook (feature `critical-section` only): enters the
        /// critical section (disables interrupts or takes a mutex) and returns
        /// the state to restore.
        fn lwat_platform_irq_save() -> u32;
        /// Firmware hook (feature `critical-section` only): leaves the critical
        /// section entered by the `lwat_platform_irq_save` that returned `state`.
        fn lwat_platform_irq_restore(state: u32);
    }

    struct CHooks;
    critical_section::set_impl!(CHooks);

    // SAFETY: the firmware's hooks disable and restore interrupts (or take and
    // release a mutex), which is exactly the contract of `Impl`.
    unsafe impl critical_section::Impl for CHooks {
        unsafe fn acquire() -> u32 {
            // SAFETY: firmware hook.
            unsafe { lwat_platform_irq_save() }
        }
        unsafe fn release(state: u32) {
            // SAFETY: firmware hook, given the state `acquire` returned.
            unsafe { lwat_platform_irq_restore(state) }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The C contract seen from Rust; ffi-tests/ checks the same from C.
    use super::*;
    use core::ptr::{null, null_mut};

    #[repr(C, align(8))]
    struct Mem([u8; LWAT_CTX_SIZE + 8]);

    fn mem() -> std::boxed::Box<Mem> {
        std::boxed::Box::new(Mem([0xA5; LWAT_CTX_SIZE + 8]))
    }

    fn config(profile: u32, cmee_mode: u8) -> lwat_config {
        lwat_config {
            profile,
            imei: null(),
            imsi: null(),
            firmware_version: null(),
            cmee_mode,
        }
    }

    fn no_callbacks() -> lwat_callbacks {
        lwat_callbacks {
            user: null_mut(),
            at_output: None,
            udp_open: None,
            udp_send: None,
            udp_close: None,
            nv_read: None,
            nv_write: None,
            random: None,
        }
    }

    unsafe extern "C" fn record(user: *mut c_void, text: *const u8, len: usize) {
        // SAFETY: `user` is the Vec the test passed; `text` valid for `len`.
        unsafe { (*user.cast::<std::vec::Vec<u8>>()).extend_from_slice(core::slice::from_raw_parts(text, len)) }
    }

    fn init(m: &mut Mem, cfg: &lwat_config, cb: &lwat_callbacks) -> *mut lwat_ctx {
        // SAFETY: valid memory and structs.
        unsafe { lwat_init(m.0.as_mut_ptr().cast(), LWAT_CTX_SIZE, cfg, cb) }
    }

    #[test]
    fn init_refuses_bad_arguments() {
        let mut m = mem();
        let (cfg, cb) = (config(LWAT_PROFILE_ONEMO, 1), no_callbacks());
        let p = m.0.as_mut_ptr().cast::<c_void>();
        // SAFETY: every pointer is NULL or valid; lwat_init checks the rest.
        unsafe {
            assert!(lwat_init(null_mut(), LWAT_CTX_SIZE, &cfg, &cb).is_null());
            assert!(lwat_init(p, LWAT_CTX_SIZE, null(), &cb).is_null());
            assert!(lwat_init(p, LWAT_CTX_SIZE, &cfg, null()).is_null());
            assert!(lwat_init(p, lwat_ctx_size() - 1, &cfg, &cb).is_null());
            assert!(lwat_init(p.cast::<u8>().add(4).cast(), LWAT_CTX_SIZE, &cfg, &cb).is_null());
            assert!(lwat_init(p, LWAT_CTX_SIZE, &config(3, 1), &cb).is_null());
            assert!(lwat_init(p, LWAT_CTX_SIZE, &config(LWAT_PROFILE_QLA, 3), &cb).is_null());
            assert_eq!(lwat_init(p, lwat_ctx_size(), &cfg, &cb).cast::<c_void>(), p);
        }
    }

    #[test]
    fn ctx_fits_its_declared_size() {
        assert!(lwat_ctx_size() <= LWAT_CTX_SIZE);
        // SAFETY: lwat_version returns a static NUL-terminated string.
        let v = unsafe { core::ffi::CStr::from_ptr(lwat_version()) };
        assert_eq!(v.to_bytes(), env!("CARGO_PKG_VERSION").as_bytes());
    }

    #[test]
    fn null_arguments_are_refused_not_followed() {
        let mut m = mem();
        let ctx = init(&mut m, &config(LWAT_PROFILE_ONEMO, 1), &no_callbacks());
        assert!(!ctx.is_null());
        // SAFETY: NULL pointers are what is being tested; ctx is valid.
        unsafe {
            assert_eq!(lwat_at_command(null_mut(), 0, b"AT".as_ptr(), 2), LWAT_ERR_NULL);
            assert_eq!(lwat_at_command(ctx, 0, null(), 5), LWAT_ERR_NULL);
            assert_eq!(lwat_at_command(ctx, 0, null(), 0), LWAT_ERR_NULL);
            assert_eq!(lwat_udp_input(null_mut(), 0, 0, b"x".as_ptr(), 1), LWAT_ERR_NULL);
            assert_eq!(lwat_udp_input(ctx, 0, 0, null(), 1), LWAT_ERR_NULL);
            assert_eq!(lwat_udp_input(ctx, 0, 0, null(), 0), LWAT_ERR_NULL);
            assert_eq!(lwat_poll(null_mut(), 0), u64::MAX);
            assert_eq!(lwat_set_cmee(null_mut(), 1), LWAT_ERR_NULL);
            assert_eq!(lwat_set_cmee(ctx, 3), LWAT_ERR_ARG);
            assert_eq!(lwat_set_cmee(ctx, 0), LWAT_OK);
            assert_eq!(lwat_poll(ctx, 0), u64::MAX);
        }
    }

    #[test]
    fn foreign_lines_write_nothing() {
        let mut out = std::vec::Vec::<u8>::new();
        let cb = lwat_callbacks {
            user: (&mut out as *mut std::vec::Vec<u8>).cast(),
            at_output: Some(record),
            ..no_callbacks()
        };
        let mut m = mem();
        for profile in [LWAT_PROFILE_ONEMO, LWAT_PROFILE_BC260Y, LWAT_PROFILE_QLA] {
            let ctx = init(&mut m, &config(profile, 1), &cb);
            for line in [&b"ATI"[..], b"AT+CGSN", b"AT+CSQ", b"", b"AT"] {
                // SAFETY: valid ctx and line.
                let rc = unsafe { lwat_at_command(ctx, 0, line.as_ptr(), line.len()) };
                assert_eq!(rc, LWAT_NOT_MINE, "{:?}", line);
            }
            // SAFETY: valid ctx and datagram.
            assert_eq!(
                unsafe { lwat_udp_input(ctx, 0, 0, b"\xff\x00garbage".as_ptr(), 9) },
                LWAT_OK
            );
        }
        assert!(out.is_empty(), "{:?}", out);
    }

    #[test]
    fn config_strings_stop_at_nul_or_the_cap() {
        let long = [b'7'; 100];
        // SAFETY: NUL-terminated literals, and 100 readable bytes for `long`.
        unsafe {
            assert_eq!(c_bytes(null()), b"");
            assert_eq!(c_bytes(c"".as_ptr()), b"");
            assert_eq!(c_bytes(c"861234567890123".as_ptr()), b"861234567890123");
            assert_eq!(c_bytes(long.as_ptr().cast()).len(), CONFIG_STRING_MAX);
        }
    }

    #[test]
    fn seed_is_never_zero() {
        assert_ne!(seed_from(b""), 0);
        assert_ne!(seed_from(b"000000000000000"), 0);
    }
}
