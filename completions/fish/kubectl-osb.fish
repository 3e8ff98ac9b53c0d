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
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "describe" -d 'Show an instance or binding: verdict, conditions in plain words, parameters, bindings'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "get" -d 'List instances and bindings with their class, plan and status'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "wait" -d 'Wait until instances, bindings or Jobs are ready, failed, complete or deleted'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "abandon" -d 'Remove the finalizer of an instance or binding whose broker is gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "broker" -d 'Ask a broker itself: its view of an instance or binding beside the catalog\'s, with a verdict'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "convert-json" -d 'Convert Instaclustr provisioning-API JSON to ServiceInstance YAML (offline)'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "rbac" -d 'Print the least-privilege roles the verbs need, for kubectl apply -f -'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "completion" -d 'Set up shell completion of `kubectl osb …` (kubectl ≥ 1.26)'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "version" -d 'Print the suite version, its commit and the kube / k8s-openapi versions'
complete -c kubectl-osb -n "__fish_kubectl_osb_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l class -d 'Show only this class (external name) and its plans' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l plan -d 'Show this plan\'s parameters (from its JSON Schemas); -o json|yaml prints the raw schemas' -r
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
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand catalog" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l class -d 'Service class, by external name (see \'kubectl osb catalog\')' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l plan -d 'Plan of the class, by external name (optional when the class has exactly one plan)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l from-instaclustr -d 'Parameters from an Instaclustr provisioning-API JSON payload, v1 or v2 (\'-\' for stdin)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l instaclustr-api -d 'Read the --from-instaclustr body as this API\'s shape instead of detecting it' -r -f -a "v1\t''
v2\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s p -l param -d 'Parameter KEY=VALUE (typed: 3, 1.5, true, null; "3" for a string) or KEY:=JSON; dotted keys nest' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l params-file -d 'Parameters from a YAML or JSON file (\'-\' for stdin); -p values apply on top' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l params-from-secret -d 'parametersFrom: a Secret key holding a JSON object (KEY defaults to "parameters")' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s l -l label -d 'Label KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l annotation -d 'Annotation KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l timeout -d 'How long --wait waits (0: check once, do not wait)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l dry-run -d '"client" prints the ServiceInstance without sending it; "server" has the API server check it' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s o -l output -d 'Output format for the instance: yaml, json or name (--wait then reports on stderr)' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l skip-schema-check -d 'Send the parameters even if they do not match the plan\'s JSON Schema (for a wrong schema)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l update -d 'Apply a changed spec to an existing instance (bumps spec.updateRequests)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -l wait -d 'Wait until the instance is Ready (exit 3 if it fails, 4 on timeout)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand provision" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l name -d 'Name of the ServiceBinding (same as NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l instance -d 'The ServiceInstance to bind to' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l secret-name -d 'Secret for the credentials (default: the binding\'s name)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s p -l param -d 'Parameter KEY=VALUE (typed: 3, 1.5, true, null; "3" for a string) or KEY:=JSON; dotted keys nest' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l params-file -d 'Parameters from a YAML or JSON file (\'-\' for stdin); -p values apply on top' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l params-from-secret -d 'parametersFrom: a Secret key holding a JSON object (KEY defaults to "parameters")' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s l -l label -d 'Label KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l annotation -d 'Annotation KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l timeout -d 'How long --wait waits (0: check once, do not wait)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l show-credentials -d 'Wait, then print the credentials decoded (table, yaml, json or env); implies --wait' -r -f -a "table\t''
yaml\t''
json\t''
env\t'KEY=value lines (an env file)'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l dry-run -d '"client" prints the ServiceBinding without sending it; "server" has the API server check it' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s o -l output -d 'Output format for the binding: yaml, json or name (--wait then reports on stderr)' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l skip-schema-check -d 'Send the parameters even if they do not match the plan\'s JSON Schema (for a wrong schema)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -l wait -d 'Wait until the credentials are in the Secret (exit 3 if the bind fails, 4 on timeout)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -a "env" -d 'Map a binding\'s credentials into a workload\'s environment (secretKeyRef, never values)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and not __fish_seen_subcommand_from env help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l env -d 'VAR=KEY pairs (comma-separated or repeated): variable VAR from Secret key KEY' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l prefix -d 'Map every key of the Secret to PREFIX + KEY upper-cased (also without --env: all keys, no prefix)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l apply-to -d 'Put the variables into this existing workload (deployment/NAME, statefulset/NAME, daemonset/NAME, replicaset/NAME, cronjob/NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -s f -l filename -d 'Put the variables into the workload manifest(s) of FILE (\'-\' for stdin) and print the result' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -s c -l container -d 'The container to change (required when the pod has several)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -s o -l output -d 'Output format: yaml (default) or json for printed blocks and manifests; name with --apply-to' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l dry-run -d 'With --apply-to: "client" prints the changed object, "server" has the API server check it' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from help" -f -a "env" -d 'Map a binding\'s credentials into a workload\'s environment (secretKeyRef, never values)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand bind; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l instance -d 'Delete every binding of this ServiceInstance' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l timeout -d 'How long --wait waits (0: check once, do not wait)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l dry-run -d '"client" prints what would be deleted; "server" has the API server check the deletes' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -s o -l output -d 'Output: name prints kind/name lines; json or yaml the deleted bindings as one document' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l wait -d 'Wait until the bindings are gone (exit 3 if an unbind fails for good, 4 on timeout)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -l ignore-not-found -d 'Treat a binding that does not exist as already deleted'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand unbind" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l dry-run -d '"client" prints what would be deleted; "server" has the API server check the delete' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l timeout -d 'How long --wait (and the unbind of --unbind) waits (0: check once, do not wait)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -s o -l output -d 'Output: name prints kind/name lines; json or yaml the deleted objects as one document' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l unbind -d 'Delete the instance\'s bindings first and wait until they are gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l wait -d 'Wait until the instance is gone (exit 3 if the deprovision is blocked or fails for good, 4 on timeout)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -l ignore-not-found -d 'Treat an instance that does not exist as already deleted'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand deprovision" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s l -l selector -d 'Describe every object of the kind matching this label selector, as kubectl describe -l' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s o -l output -d 'Print the object itself instead: yaml or json' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -l broker -d 'Ask the broker too: its view beside the catalog\'s, and the verdict (as kubectl osb broker status)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand describe" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s o -l output -d 'Output format: table, wide, yaml, json, name, jsonpath=TEMPLATE, jsonpath-file=FILE, custom-columns=HEADER:PATH,…, custom-columns-file=FILE (kubectl\'s JSONPath)' -r -f -a "custom-columns=\t''
custom-columns-file=\t''
json\t''
jsonpath=\t''
jsonpath-file=\t''
name\t''
table\t''
wide\t''
yaml\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s l -l selector -d 'Label selector (`key=value`, `key!=value`, `key in (a,b)`, `key`, `!key`), as kubectl' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l field-selector -d 'Field selector (`metadata.name=db`, …), as kubectl' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l sort-by -d 'Sort the list by this JSONPath (`.metadata.name`, `{.spec.clusterServicePlanExternalName}`)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s L -l label-columns -d 'Add a column with the value of each of these labels (repeatable, or comma-separated)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s A -l all-namespaces -d 'List across all namespaces'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l no-headers -d 'Print tables (and custom columns) without their header line'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l show-labels -d 'Add a LABELS column with every label'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s w -l watch -d 'After listing, watch for changes and print a line for each (runs until interrupted; a dropped or expired watch is resumed)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l watch-only -d 'Watch for changes without listing first'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l output-watch-events -d 'With --watch or --watch-only: add the event type (ADDED, MODIFIED, DELETED) to each line'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -l show-managed-fields -d 'Keep metadata.managedFields in -o json|yaml (left out by default, as kubectl does)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand get" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l for -d 'The state to wait for: ready, failed, deleted, complete, create (the object exists), condition=TYPE[=VALUE], or jsonpath=\'{EXPR}\'[=VALUE] (kubectl\'s; a failure still ends the wait)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l timeout -d 'Give up after this long (e.g. 90s, 30m, 1h; 0 = check once)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s l -l selector -d 'Select objects of TYPE by label (e.g. app=shop)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s o -l output -d 'Output: default lines "… condition met", json (a summary with state, reason and seconds), name' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l any -d 'Finish as soon as one object reaches the state (default: all)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l deadline-ok -d 'Count a Job that failed with DeadlineExceeded as a success (soak tests)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l all -d 'Every object of TYPE in the namespace'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s A -l all-namespaces -d 'With -l or --all: select objects in every namespace (one watch per type, not one per namespace)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -l no-progress -d 'Never draw the live progress block (it is only drawn when stderr is a terminal)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand wait" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l older-than -d 'With --list: a deletion pending longer than this counts as stuck (e.g. 30s, 10m, 1h)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l dry-run -d 'Show what would change and change nothing: client (no request) or server (requests with dryRun=All)' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s o -l output -d 'Output format: table|wide|json|yaml|name for --list; name prints only the names of cleaned objects' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l list -d 'List orphan candidates and why each is one; changes nothing'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s A -l all-namespaces -d 'With --list: look in every namespace'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l with-bindings -d 'Also abandon the instance\'s bindings (first) and delete the Secrets they own'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l force -d 'Abandon even a healthy object (Ready and not being deleted), or one its broker says it still holds'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -l check-broker -d 'With --list: ask each candidate\'s broker too, and add its verdict as a column (docs/broker.md)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand abandon" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -f -a "status" -d 'The broker\'s view of an instance or binding beside the catalog\'s, and a verdict'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -f -a "catalog" -d 'The broker\'s own catalog beside the classes and plans of the catalog: what is missing, removed or changed since the last relist'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -f -a "check" -d 'Lint the broker\'s catalog against the OSB 2.14 rules: exit 0 when clean, 1 with each finding'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and not __fish_seen_subcommand_from status catalog check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format: json or yaml (default: lines to read)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -s o -l output -d 'Output format: json or yaml (default: a table to read)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from catalog" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format: json or yaml (default: a table to read)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "status" -d 'The broker\'s view of an instance or binding beside the catalog\'s, and a verdict'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "catalog" -d 'The broker\'s own catalog beside the classes and plans of the catalog: what is missing, removed or changed since the last relist'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "check" -d 'Lint the broker\'s catalog against the OSB 2.14 rules: exit 0 when clean, 1 with each finding'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s o -l output -d 'Output format (default: yaml; json with --reverse and --to-v2)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l name -d 'metadata.name (default: derived from clusterName)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s n -l namespace -d 'metadata.namespace (default: none, so kubectl uses the context\'s)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l class -d 'Service class external name (default: inferred from the first bundle)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l plan -d 'Service plan external name (default: inferred from slaTier)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l map-class -d 'Replace a row of the bundle → class mapping (repeatable)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l api -d 'Read the body as this API\'s shape instead of detecting it (v1: clusterName, bundles, …; v2: name, cassandraVersion, dataCentres, …)' -r -f -a "v1\t''
v2\t''"
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l parameters-only -d 'Print only the parameters, not the ServiceInstance around them'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l allow-duplicate-keys -d 'Keep the last of repeated keys (with a warning) instead of failing'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l strict -d 'Treat validation warnings as errors'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l no-validate -d 'Skip validation against the payload schema'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l reverse -d 'The other way: ServiceInstance (or parameters) YAML → provisioning JSON'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l to-v2 -d 'Rewrite a v1 body as a v2 body (JSON; -o yaml for YAML); what cannot be carried over is said on stderr'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -l allow-invalid -d 'With --to-v2: write the v2 body even when it is not valid (its errors become warnings)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s h -l help -d 'Print help'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand convert-json" -s V -l version -d 'Print version'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -l serviceaccount -d 'Also print the bindings granting the roles to this ServiceAccount' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -l user -d 'Also print the bindings granting the roles to this user' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -l group -d 'Also print the bindings granting the roles to this group' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -s n -l namespace -d 'Namespace of the RoleBindings (default: the ServiceAccount\'s)' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -l list -d 'List the roles, one line each, instead of printing them'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -l cluster-wide -d 'Bind every role in all namespaces (ClusterRoleBindings), e.g. for get -A or abandon --list -A'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand rbac" -s V -l version -d 'Print version'
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
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "catalog" -d 'List brokers, classes and plans; --check tells whether the brokers are ready'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "provision" -d 'Create a ServiceInstance of a class and plan, and wait until it is ready'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "bind" -d 'Create a ServiceBinding: the instance\'s credentials in a Secret'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "unbind" -d 'Delete a binding, or every binding of an instance'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "deprovision" -d 'Delete a ServiceInstance (after its bindings) and wait until it is gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "describe" -d 'Show an instance or binding: verdict, conditions in plain words, parameters, bindings'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "get" -d 'List instances and bindings with their class, plan and status'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "wait" -d 'Wait until instances, bindings or Jobs are ready, failed, complete or deleted'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "abandon" -d 'Remove the finalizer of an instance or binding whose broker is gone'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "broker" -d 'Ask a broker itself: its view of an instance or binding beside the catalog\'s, with a verdict'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "convert-json" -d 'Convert Instaclustr provisioning-API JSON to ServiceInstance YAML (offline)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "rbac" -d 'Print the least-privilege roles the verbs need, for kubectl apply -f -'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "completion" -d 'Set up shell completion of `kubectl osb …` (kubectl ≥ 1.26)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "version" -d 'Print the suite version, its commit and the kube / k8s-openapi versions'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and not __fish_seen_subcommand_from catalog provision bind unbind deprovision describe get wait abandon broker convert-json rbac completion version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from bind" -f -a "env" -d 'Map a binding\'s credentials into a workload\'s environment (secretKeyRef, never values)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "status" -d 'The broker\'s view of an instance or binding beside the catalog\'s, and a verdict'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "catalog" -d 'The broker\'s own catalog beside the classes and plans of the catalog: what is missing, removed or changed since the last relist'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "check" -d 'Lint the broker\'s catalog against the OSB 2.14 rules: exit 0 when clean, 1 with each finding'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "install" -d 'Create kubectl_complete-osb* links next to kubectl-osb (or in --dir)'
complete -c kubectl-osb -n "__fish_kubectl_osb_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "uninstall" -d 'Remove the links `install` created'
