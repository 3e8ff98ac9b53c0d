fn main() -> std::process::ExitCode {
    osb_gen::main()
}
