#pragma once

// Process-wide malloc settings for programs that move hundreds of MB/s
// through gRPC: the broker and strata-bench call this first thing in main().
// A library must not change them behind its application's back, so libstrata
// does not; docs/benchmarks.md shows what a consumer gains from doing the same.

namespace strata {

// gRPC allocates each socket read's buffers and each request's message
// afresh. With glibc's defaults a buffer above 128 KiB is a fresh mmap, and
// freed heap above 128 KiB goes back to the kernel, so every megabyte passed
// page-faults its memory in again: a fifth of the broker's CPU when serving a
// fast consumer, half of the consumer's own. Keeps buffers up to 32 MiB in
// malloc's arenas and trims only past 64 MiB of free heap.
void keep_io_buffers_in_heap();

}  // namespace strata
