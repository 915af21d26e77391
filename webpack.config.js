const path = require('node:path');

const out = path.join(__dirname, 'dash_notify');
const rules = [{test: /\.jsx?$/, exclude: /node_modules/, use: {loader: 'babel-loader'}}];

module.exports = [
    {
        // The component library, found by Dash as window.dash_notify.
        name: 'components',
        entry: './src/lib/index.js',
        output: {
            path: out,
            filename: 'dash_notify.min.js',
            // Parts loaded on demand (the center's panel), served by Dash from the
            // package next to the bundle (listed in _js_dist with "async": True).
            chunkFilename: 'async-[name].js',
            publicPath: 'auto',
            chunkLoadingGlobal: 'webpackChunkdash_notify',
            library: {name: 'dash_notify', type: 'window'},
        },
        externals: {
            react: 'React',
            'react-dom': 'ReactDOM',
            'prop-types': 'PropTypes',
        },
        module: {rules},
        devtool: false,
        performance: {hints: false},
    },
    {
        // The service worker, served by Dash from the component suite.
        name: 'worker',
        target: 'webworker',
        entry: './src/sw/worker.js',
        output: {path: out, filename: 'sw.js'},
        module: {rules},
        devtool: false,
        performance: {hints: false},
    },
];
