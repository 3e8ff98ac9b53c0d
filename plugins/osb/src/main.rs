fn main() -> std::process::ExitCode {
    osb_dispatch::main()
}
