// A large document becomes hundreds of thousands of small strings and maps, allocated once and freed at
// the end: glibc's malloc and free took about a quarter of the time, and the page faults of a heap grown
// 4 KiB at a time much of the rest. mimalloc allocates them faster and from large pages (docs/BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    osb::cli::main(osb_convert_json::run)
}
