fn main() -> std::process::ExitCode {
    osb::cli::main(osb_convert_json::run)
}
