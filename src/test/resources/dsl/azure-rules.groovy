backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations {
        azure('nothing')  { container 'c' }
        azure('both')     { container 'c'; connectionString 'UseDevelopmentStorage=true'; account 'a' }
        azure('key-sas')  { container 'c'; account 'a'; accountKey 'k'; sasToken 's' }
        azure('no-key')   { container 'c'; account 'a' }
        azure('conn-url') { container 'c'; connectionString 'UseDevelopmentStorage=true'; endpoint 'https://a.blob.core.windows.net' }
        azure('bad-url')  { container 'c'; account 'a'; accountKey 'k'; endpoint 'a.blob.core.windows.net' }
    }
}
