# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_osb_broker_global_optspecs
    string join \n kubeconfig= context= cluster= user= n/namespace= request-timeout= chunk-size= s/server= token= certificate-authority= client-certificate= client-key= insecure-skip-tls-verify= tls-server-name= as= as-group= as-uid= username= password= disable-compression= v/v= h/help V/version
end

function __fish_kubectl_osb_broker_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_osb_broker_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_osb_broker_using_subcommand
    set -l cmd (__fish_kubectl_osb_broker_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -s h -l help -d 'Print help'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -f -a "status" -d 'The broker\'s view of an instance or binding beside the catalog\'s, and a verdict'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -f -a "catalog" -d 'The broker\'s own catalog beside the classes and plans of the catalog: what is missing, removed or changed since the last relist'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -f -a "check" -d 'Lint the broker\'s catalog against the OSB 2.14 rules: exit 0 when clean, 1 with each finding'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -s o -l output -d 'Output format: json or yaml (default: lines to read)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand status" -s h -l help -d 'Print help'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -s o -l output -d 'Output format: json or yaml (default: a table to read)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand catalog" -s h -l help -d 'Print help'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -s o -l output -d 'Output format: json or yaml (default: a table to read)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand check" -s h -l help -d 'Print help'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand help; and not __fish_seen_subcommand_from status catalog check help" -f -a "status" -d 'The broker\'s view of an instance or binding beside the catalog\'s, and a verdict'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand help; and not __fish_seen_subcommand_from status catalog check help" -f -a "catalog" -d 'The broker\'s own catalog beside the classes and plans of the catalog: what is missing, removed or changed since the last relist'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand help; and not __fish_seen_subcommand_from status catalog check help" -f -a "check" -d 'Lint the broker\'s catalog against the OSB 2.14 rules: exit 0 when clean, 1 with each finding'
complete -c kubectl-osb-broker -n "__fish_kubectl_osb_broker_using_subcommand help; and not __fish_seen_subcommand_from status catalog check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
