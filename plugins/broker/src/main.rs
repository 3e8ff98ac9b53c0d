fn main() -> std::process::ExitCode {
    osb::cli::main(osb_broker::run)
}
