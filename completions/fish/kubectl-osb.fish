# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_osb_global_optspecs
    string join \n h/help V/version
end

function __fish_kubectl_osb_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_osb_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_osb_using_subcommand
    set -l cmd (__fish_kubectl_osb_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "catalog" -d 'List brokers, classes and plans; --check tells whether the brokers are ready'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "provision" -d 'Create a ServiceInstance of a class and plan, and wait until it is ready'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "bind" -d 'Create a ServiceBinding: the instance\'s credentials in a Secret'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "unbind" -d 'Delete a binding, or every binding of an instance'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "deprovision" -d 'Delete a ServiceInstance (after its bindings) and wait until it is gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "describe" -d 'Show an instance or binding with its conditions, parameters and events'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "get" -d 'List instances and bindings with their class, plan and status'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "wait" -d 'Wait until instances, bindings or Jobs are ready, failed, complete or deleted'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "abandon" -d 'Remove the finalizer of an instance or binding whose broker is gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "convert-json" -d 'Convert Instaclustr provisioning-API JSON to ServiceInstance YAML (offline)'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "completion" -d 'Set up shell completion of `kubectl osb …` (kubectl ≥ 1.26)'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "version" -d 'Print the suite version, its commit and the kube / k8s-openapi versions'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l class -d 'Show only this class (external name) and its plans' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l check -d 'Exit 0 only if every broker (or BROKER) is Ready; print why not otherwise' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s o -l output -d 'Output format (default: yaml; json with --reverse)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l name -d 'metadata.name (default: derived from clusterName)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s n -l namespace -d 'metadata.namespace (default: none, so kubectl uses the context\'s)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l class -d 'Service class external name (default: inferred from the first bundle)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l plan -d 'Service plan external name (default: inferred from slaTier)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l map-class -d 'Replace a row of the bundle → class mapping (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l parameters-only -d 'Print only the parameters, not the ServiceInstance around them'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l allow-duplicate-keys -d 'Keep the last of repeated keys (with a warning) instead of failing'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l strict -d 'Treat validation warnings as errors'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l no-validate -d 'Skip validation against the payload schema'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l reverse -d 'The other way: ServiceInstance (or parameters) YAML → provisioning JSON'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and not __fish_seen_subcommand_from install uninstall help" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and not __fish_seen_subcommand_from install uninstall help" -f -a "install" -d 'Create kubectl_complete-osb* links next to kubectl-osb (or in --dir)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and not __fish_seen_subcommand_from install uninstall help" -f -a "uninstall" -d 'Remove the links `install` created'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and not __fish_seen_subcommand_from install uninstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from install" -l dir -d 'Directory on PATH to write to (default: the directory of the kubectl-osb kubectl ran)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from install" -l force -d 'Replace files of the same name that are not links'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from uninstall" -l dir -d 'Directory on PATH to write to (default: the directory of the kubectl-osb kubectl ran)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from uninstall" -l force -d 'Replace files of the same name that are not links'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "install" -d 'Create kubectl_complete-osb* links next to kubectl-osb (or in --dir)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove the links `install` created'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand version" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "catalog" -d 'List brokers, classes and plans; --check tells whether the brokers are ready'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "provision" -d 'Create a ServiceInstance of a class and plan, and wait until it is ready'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "bind" -d 'Create a ServiceBinding: the instance\'s credentials in a Secret'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "unbind" -d 'Delete a binding, or every binding of an instance'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "deprovision" -d 'Delete a ServiceInstance (after its bindings) and wait until it is gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "describe" -d 'Show an instance or binding with its conditions, parameters and events'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "get" -d 'List instances and bindings with their class, plan and status'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "wait" -d 'Wait until instances, bindings or Jobs are ready, failed, complete or deleted'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "abandon" -d 'Remove the finalizer of an instance or binding whose broker is gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "convert-json" -d 'Convert Instaclustr provisioning-API JSON to ServiceInstance YAML (offline)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "completion" -d 'Set up shell completion of `kubectl osb …` (kubectl ≥ 1.26)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "version" -d 'Print the suite version, its commit and the kube / k8s-openapi versions'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon convert-json completion version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "install" -d 'Create kubectl_complete-osb* links next to kubectl-osb (or in --dir)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "uninstall" -d 'Remove the links `install` created'
