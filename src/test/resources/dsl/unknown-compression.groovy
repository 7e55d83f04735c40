backup('nightly') {
    sources { files('chroma') { path '/data/chroma' } }
    compress 'zstandard'
    destinations { local('nas') { path '/mnt/nas' } }
}
