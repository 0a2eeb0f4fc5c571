//! The smallest firmware that uses all of lwat's C API: a vector table, a
//! reset handler that starts one engine and feeds it AT lines, datagrams and
//! time from "hardware" (volatile reads), and callbacks that write to a
//! "UART". Every `lwat_*` function is also kept in a table, as a C firmware
//! that links the staticlib would keep them. Built by tools/footprint.sh with
//! --gc-sections; what remains is lwat plus ~200 bytes of this harness.
#![no_std]
#![no_main]

use core::ffi::c_void;
use core::mem::size_of;
use core::ptr::{addr_of, addr_of_mut, null_mut, read_volatile, write_volatile};
use lwat::ffi::*;

/// Where "hardware" delivers input: a line or datagram and its length.
const RX: *const u8 = 0x4000_0000 as *const u8;
const RX_LEN: *const usize = 0x4000_1000 as *const usize;
const CLOCK: *const u32 = 0x4000_1004 as *const u32;
const UART_TX: *mut u8 = 0x4000_2000 as *mut u8;

#[repr(C, align(8))]
struct EngineMemory([u8; size_of::<lwat_ctx>()]);
static mut ENGINE: EngineMemory = EngineMemory([0; size_of::<lwat_ctx>()]);
static mut NV: [u8; 256] = [0; 256];

unsafe extern "C" fn at_output(_: *mut c_void, text: *const u8, len: usize) {
    for i in 0..len {
        // SAFETY: lwat passes `len` readable bytes; UART_TX is the "register".
        unsafe { write_volatile(UART_TX, *text.add(i)) }
    }
}
unsafe extern "C" fn udp_open(_: *mut c_void, _: *const core::ffi::c_char, _: u16) -> i32 {
    0
}
unsafe extern "C" fn udp_send(_: *mut c_void, _: i32, data: *const u8, len: usize, _: u8) -> i32 {
    // SAFETY: as at_output.
    unsafe { at_output(null_mut(), data, len) };
    0
}
unsafe extern "C" fn udp_close(_: *mut c_void, _: i32) {}
unsafe extern "C" fn nv_read(_: *mut c_void, _: u16, buf: *mut u8, cap: usize) -> i32 {
    let n = cap.min(256);
    // SAFETY: `buf` holds `cap` bytes; NV is only touched from this thread.
    unsafe { core::ptr::copy_nonoverlapping(addr_of!(NV).cast::<u8>(), buf, n) };
    n as i32
}
unsafe extern "C" fn nv_write(_: *mut c_void, _: u16, data: *const u8, len: usize) -> i32 {
    // SAFETY: as nv_read.
    unsafe { core::ptr::copy_nonoverlapping(data, addr_of_mut!(NV).cast::<u8>(), len.min(256)) };
    0
}
unsafe extern "C" fn random(_: *mut c_void) -> u32 {
    // SAFETY: the "clock" register.
    unsafe { read_volatile(CLOCK) }
}

/// Every entry point of the C API, kept whole as a firmware linking
/// liblwat.a would keep it.
#[used]
#[link_section = ".rodata.lwat_api"]
static API: Kept<8> = Kept([
    lwat_init as *const (),
    lwat_at_command as *const (),
    lwat_udp_input as *const (),
    lwat_poll as *const (),
    lwat_set_cmee as *const (),
    lwat_resume as *const (),
    lwat_ctx_size as *const (),
    lwat_version as *const (),
]);

/// Addresses that only the linker reads.
#[repr(transparent)]
pub struct Kept<const N: usize>([*const (); N]);
// SAFETY: read-only table of addresses.
unsafe impl<const N: usize> Sync for Kept<N> {}

/// The reset handler: start one engine, then serve "hardware" forever.
///
/// # Safety
/// Only the hardware calls it, once, out of reset.
#[no_mangle]
pub unsafe extern "C" fn reset() -> ! {
    // SAFETY: all pointers below are the statics and "registers" above.
    unsafe {
        let cfg = lwat_config {
            // `& 3`, not `% 3`: a division would link a divide helper on
            // thumbv6m that lwat itself does not need.
            profile: read_volatile(CLOCK) & 3,
            imei: c"861234567890123".as_ptr(),
            imsi: c"460041234567890".as_ptr(),
            firmware_version: lwat_version(),
            cmee_mode: 1,
        };
        let cb = lwat_callbacks {
            user: null_mut(),
            at_output: Some(at_output),
            udp_open: Some(udp_open),
            udp_send: Some(udp_send),
            udp_close: Some(udp_close),
            nv_read: Some(nv_read),
            nv_write: Some(nv_write),
            random: Some(random),
        };
        let ctx = lwat_init(addr_of_mut!(ENGINE).cast(), lwat_ctx_size(), &cfg, &cb);
        loop {
            let now = read_volatile(CLOCK) as u64;
            let len = read_volatile(RX_LEN);
            match read_volatile(RX) {
                b'A' => {
                    lwat_at_command(ctx, now, RX, len);
                }
                b'C' => {
                    lwat_set_cmee(ctx, *RX.add(1));
                }
                b'W' => {
                    lwat_resume(ctx, now, len as u64);
                }
                #[cfg(feature = "client")]
                b'L' => client::drive(now, core::slice::from_raw_parts(RX.add(1), len)),
                _ => {
                    lwat_udp_input(ctx, now, 0, RX, len);
                }
            }
            let wait = lwat_poll(ctx, now);
            write_volatile(UART_TX, wait as u8);
        }
    }
}

/// `--features client`: drives every public entry point of the LwM2M
/// client through a dummy host, so the image keeps the whole client (the
/// engine does not call it yet). Client bytes = this image minus the default.
#[cfg(feature = "client")]
mod client {
    use core::hint::black_box;
    use core::mem::MaybeUninit;
    use core::ptr::{addr_of_mut, read_volatile, write_volatile};
    use lwat::coap::{Code, Config};
    use lwat::lwm2m::{Binding, Client, Event, RegisterParams, UpdatePolicy};
    use lwat::model::ObjectList;
    use lwat::Host;

    use super::{CLOCK, UART_TX};

    /// The client's whole state, a static so its size shows in the image
    /// (uninitialised, in .bss: an initialiser would count as flash).
    static mut CLIENT: MaybeUninit<Client> = MaybeUninit::uninit();
    static mut STARTED: bool = false;

    struct Dummy;
    impl Host for Dummy {
        fn at_output(&mut self, text: &[u8]) {
            black_box(text);
        }
        fn udp_open(&mut self, host: &[u8], port: u16) -> i32 {
            black_box((host, port));
            // SAFETY: the "clock" register.
            unsafe { read_volatile(CLOCK) as i32 }
        }
        fn udp_send(&mut self, endpoint: i32, data: &[u8], rai: u8) -> i32 {
            black_box((endpoint, data, rai));
            0
        }
        fn udp_close(&mut self, endpoint: i32) {
            black_box(endpoint);
        }
        fn random(&mut self) -> u32 {
            // SAFETY: the "clock" register.
            unsafe { read_volatile(CLOCK) }
        }
    }

    /// The MCU's objects: a count from "hardware".
    struct Objects;
    impl ObjectList for Objects {
        fn for_each_instance(&self, f: &mut dyn FnMut(u16, u16)) {
            // SAFETY: the "clock" register.
            let n = unsafe { read_volatile(CLOCK) } as u16;
            for i in 0..n {
                f(3300 + i, i);
            }
        }
    }

    fn report(e: Event<'_>) {
        black_box(&e);
    }

    /// `op` = the first byte, then arguments from the rest of `input`.
    /// Not inlined, so size-by-module shows the client apart from `reset`.
    #[inline(never)]
    pub fn drive(now: u64, input: &[u8]) {
        // SAFETY: only the reset loop calls this, on one thread.
        let client = unsafe {
            if !STARTED {
                STARTED = true;
                (*addr_of_mut!(CLIENT)).write(Client::new());
            }
            (*addr_of_mut!(CLIENT)).assume_init_mut()
        };
        let host = &mut Dummy;
        let events = &mut report;
        let [op, a, b, rest @ ..] = input else { return };
        let status = match *op {
            b'r' => {
                let params = RegisterParams {
                    host: rest,
                    port: u16::from(*a),
                    bootstrap: *b & 1 != 0,
                    endpoint: rest,
                    lifetime_s: u32::from(*a),
                    binding: if *b & 2 != 0 { Binding::UQ } else { Binding::U },
                    auth_code: (*b & 4 != 0).then_some(rest),
                    timeout_ms: (*b & 8 != 0).then_some(u64::from(*a)),
                    config: Config::RFC,
                    update_policy: (*b & 16 != 0).then_some(UpdatePolicy::QlaInterval),
                };
                client.register(host, now, &params, &Objects, events).is_ok() as u32
            }
            b'u' => {
                let objects: Option<&dyn ObjectList> = (*b & 1 != 0).then_some(&Objects);
                let binding = (*b & 2 != 0).then_some(Binding::UQ);
                let lifetime = (*b & 4 != 0).then_some(u32::from(*a));
                client.update(host, now, lifetime, binding, objects).unwrap_or(0).into()
            }
            b'd' => client.deregister(host, now, events).is_ok() as u32,
            b'a' => client
                .respond(host, now, u16::from(*a), Code(*b), Some(u16::from(*a)), rest)
                .is_ok() as u32,
            b'c' => client.cancel(u16::from(*a)) as u32,
            b'i' => {
                client.on_datagram(host, now, i32::from(*a), rest, &Objects, events);
                0
            }
            b's' => {
                let Some(session) = client.snapshot(now) else { return };
                let mut copy = Client::new();
                let policy = Some(UpdatePolicy::NineTenths);
                copy.resume(host, now, &session, u64::from(*a), policy, events)
                    .unwrap_or(0)
                    .into()
            }
            _ => client.poll(host, now, events) as u32,
        };
        // SAFETY: the "UART" register.
        unsafe { write_volatile(UART_TX, status as u8) }
    }
}

/// The firmware's fatal hook (the panic handler in lwat calls it). Never
/// inlined, so the symbol is in the image exactly when a panic path is:
/// tools/footprint.sh reports that.
#[no_mangle]
#[inline(never)]
pub extern "C" fn lwat_platform_fatal() -> ! {
    loop {
        core::hint::spin_loop();
    }
}

/// Critical-section hooks, for `--features critical-section` builds: a
/// "PRIMASK" register, so the calls are not optimised away.
#[cfg(feature = "critical-section")]
const PRIMASK: *mut u32 = 0x4000_3000 as *mut u32;
/// Saves and sets the interrupt mask.
#[cfg(feature = "critical-section")]
#[no_mangle]
pub extern "C" fn lwat_platform_irq_save() -> u32 {
    // SAFETY: the "register".
    unsafe {
        let state = read_volatile(PRIMASK);
        write_volatile(PRIMASK, 1);
        state
    }
}
/// Restores the mask [`lwat_platform_irq_save`] returned.
#[cfg(feature = "critical-section")]
#[no_mangle]
pub extern "C" fn lwat_platform_irq_restore(state: u32) {
    // SAFETY: the "register".
    unsafe { write_volatile(PRIMASK, state) }
}

#[repr(C)]
pub union Vector {
    handler: unsafe extern "C" fn() -> !,
    addr: *const u8,
}
// SAFETY: read-only table of addresses.
unsafe impl Sync for Vector {}

extern "C" {
    static _stack_top: u8;
}

/// Initial stack pointer and reset vector; nothing else is wired.
#[used]
#[link_section = ".vector_table"]
static VECTORS: [Vector; 2] = [
    Vector {
        addr: addr_of!(_stack_top),
    },
    Vector { handler: reset },
];
