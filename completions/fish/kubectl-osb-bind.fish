# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_osb_bind_global_optspecs
    string join \n name= instance= secret-name= p/param= params-file= params-from-secret= skip-schema-check l/label= annotation= timeout= fail-on= fail-after-retries= controller-hint-after= show-credentials= dry-run= wait o/output= kubeconfig= context= cluster= user= n/namespace= request-timeout= chunk-size= s/server= token= certificate-authority= client-certificate= client-key= insecure-skip-tls-verify= tls-server-name= as= as-group= as-uid= username= password= disable-compression= v/v= h/help V/version
end

function __fish_kubectl_osb_bind_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_osb_bind_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_osb_bind_using_subcommand
    set -l cmd (__fish_kubectl_osb_bind_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l name -d 'Name of the ServiceBinding (same as NAME)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l instance -d 'The ServiceInstance to bind to' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l secret-name -d 'Secret for the credentials (default: the binding\'s name)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s p -l param -d 'Parameter KEY=VALUE (typed: 3, 1.5, true, null; "3" for a string) or KEY:=JSON; dotted keys nest' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l params-file -d 'Parameters from a YAML or JSON file (\'-\' for stdin); -p values apply on top' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l params-from-secret -d 'parametersFrom: a Secret key holding a JSON object (KEY defaults to "parameters")' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s l -l label -d 'Label KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l annotation -d 'Annotation KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l timeout -d 'How long --wait waits (0: check once, do not wait)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l show-credentials -d 'Wait, then print the credentials decoded (table, yaml, json or env); implies --wait' -r -f -a "table\t''
yaml\t''
json\t''
env\t'KEY=value lines (an env file)'"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l dry-run -d '"client" prints the ServiceBinding without sending it; "server" has the API server check it' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s o -l output -d 'Output format for the binding: yaml, json or name (--wait then reports on stderr)' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l skip-schema-check -d 'Send the parameters even if they do not match the plan\'s JSON Schema (for a wrong schema)'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -l wait -d 'Wait until the credentials are in the Secret (exit 3 if the bind fails, 4 on timeout)'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -a "env" -d 'Map a binding\'s credentials into a workload\'s environment (secretKeyRef, never values)'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l env -d 'VAR=KEY pairs (comma-separated or repeated): variable VAR from Secret key KEY' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l prefix -d 'Map every key of the Secret to PREFIX + KEY upper-cased (also without --env: all keys, no prefix)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l apply-to -d 'Put the variables into this existing workload (deployment/NAME, statefulset/NAME, daemonset/NAME, replicaset/NAME, cronjob/NAME)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -s f -l filename -d 'Put the variables into the workload manifest(s) of FILE (\'-\' for stdin) and print the result' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -s c -l container -d 'The container to change (required when the pod has several)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -s o -l output -d 'Output format: yaml (default) or json for printed blocks and manifests; name with --apply-to' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l dry-run -d 'With --apply-to: "client" prints the changed object, "server" has the API server check it' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand help; and not __fish_seen_subcommand_from env help" -f -a "env" -d 'Map a binding\'s credentials into a workload\'s environment (secretKeyRef, never values)'
complete -c kubectl-osb-bind -n "__fish_kubectl_osb_bind_using_subcommand help; and not __fish_seen_subcommand_from env help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
