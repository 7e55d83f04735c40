backup('nightly') {
    sources { files('chroma') { path '/data/chroma' } }
    encrypt passphrase: secret('/nonexistent/caravan/pass')
    destinations { local('nas') { path '/mnt/nas' } }
}
