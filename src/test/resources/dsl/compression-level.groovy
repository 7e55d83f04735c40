backup('nightly') {
    sources { files('chroma') { path '/data/chroma' } }
    compress 'gzip', level: 12
    destinations { local('nas') { path '/mnt/nas' } }
}
