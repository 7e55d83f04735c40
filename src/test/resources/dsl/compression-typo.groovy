backup('nightly') {
    sources { files('chroma') { path '/data/chroma' } }
    compress 'gzp'
    destinations { local('nas') { path '/mnt/nas' } }
}

backup('weekly') {
    sources { files('chroma') { path '/data/chroma' } }
    compress 'bzp2'
    destinations { local('nas') { path '/mnt/nas' } }
}
