<?php

declare(strict_types=1);

// The Composer package as a user gets it (#17): bindings/php/package builds it; a fresh project
// in a temporary directory outside the repository requires it from a path repository, offline
// (packagist disabled, COMPOSER_DISABLE_NETWORK); the README's install example and the docs'
// gRPC example then run there against an emulator, with the native library provided as the
// README's Install section says and no library variable set:
//
//   1. copied into the installed package's lib/;
//   2. installed with `make install` into a prefix the system loader is pointed at;
//   3. nowhere: the error names every place looked at.
//
// Run by run-tests; prints one line per check and exits 1 on any failure.
//
//     php tests/install-test.php     (CLARIFAI_LIB_DIR, CLARIFAI_EMULATOR as for run-tests)

use Clarifai\API\Tests\Emulator;

require __DIR__ . '/Emulator.php';

$package = dirname(__DIR__);
$repo = dirname($package, 2);
$libDir = getenv('CLARIFAI_LIB_DIR') ?: $repo . '/target/release';
$emulator = Emulator::start(
    getenv('CLARIFAI_EMULATOR') ?: $repo . '/target/release/clarifai-emulator',
    [],
    getenv('CLARIFAI_EMULATOR_LOG') ?: '/dev/null',
);
$failures = 0;
$check = static function (bool $ok, string $what, string $detail = '') use (&$failures): void {
    echo $ok ? 'ok' : 'not ok', " - install test: $what\n";
    if (!$ok) {
        $failures++;
        if ($detail !== '') {
            echo preg_replace('/^/m', '    ', rtrim($detail)), "\n";
        }
    }
};

/** Run a command; returns [exit status, stdout and stderr]. */
$run = static function (array $command, string $cwd, array $env): array {
    $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, $cwd, $env);
    $output = stream_get_contents($pipes[1]);
    return [proc_close($process), (string) $output];
};

/** The ```php block after the README's `$marker` comment, its indentation removed. */
$readmeBlock = static function (string $readme, string $marker): string {
    $at = strpos($readme, "<!-- $marker:");
    if ($at === false || preg_match('/^([ \t]*)```php\n(.*?)\n[ \t]*```/ms', $readme, $m, 0, $at) !== 1) {
        throw new RuntimeException("the README has no $marker block");
    }
    return preg_replace('/^' . preg_quote($m[1], '/') . '/m', '', $m[2]);
};

$tmp = sys_get_temp_dir() . '/clarifai-php-install-' . getmypid();
register_shutdown_function(static fn () => exec('rm -rf ' . escapeshellarg($tmp)));
mkdir($tmp . '/app', 0777, true);
$check(!str_starts_with(realpath($tmp) . '/', realpath($repo) . '/'), "the project is outside the repository ($tmp)");

// A clean environment: nothing names the library, no credentials, no proxies, Composer offline
// with a home of its own.
$env = array_diff_key(getenv(), array_flip([
    'CLARIFAI_LIBRARY', 'CLARIFAI_FFI_LIB', 'LD_LIBRARY_PATH', 'CLARIFAI_API_KEY', 'CLARIFAI_PAT',
    'CLARIFAI_API_BASE', 'CLARIFAI_GRPC_BASE', 'http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY',
]));
$composerEnv = $env + ['COMPOSER_HOME' => "$tmp/composer-home", 'COMPOSER_DISABLE_NETWORK' => '1', 'COMPOSER_ALLOW_SUPERUSER' => '1', 'COMPOSER_NO_INTERACTION' => '1'];

// The package, as bindings/php/package builds it.
[$status, $output] = $run([$package . '/package', "$tmp/dist"], $tmp, $env);
$check($status === 0, 'bindings/php/package builds the package', $output);
$version = json_decode((string) file_get_contents("$package/composer.json"), true)['version'];
$dist = "$tmp/dist/clarifai-clarifai-core-$version";
$check(is_file("$dist.tar.gz") && is_file("$dist/composer.json"), "it wrote $dist.tar.gz and $dist/");

$app = "$tmp/app";
foreach ([
    ['composer', 'init', '--no-interaction', '--name=clarifai-install-test/app'],
    ['composer', 'config', 'repositories.clarifai', json_encode(['type' => 'path', 'url' => $dist, 'options' => ['symlink' => false]])],
    ['composer', 'config', 'repo.packagist', 'false'],
    ['composer', 'require', '--no-interaction', '--no-audit', 'clarifai/clarifai-core:^' . $version],
] as $command) {
    [$status, $output] = $run($command, $app, $composerEnv);
    $check($status === 0, implode(' ', array_slice($command, 0, 3)), $output);
}
$installed = "$app/vendor/clarifai/clarifai-core";
$check(is_file("$installed/composer.json") && !is_link($installed), 'the package is installed (copied) in vendor/');
$check(is_file("$installed/resources/clarifai.h") && (!is_file("$repo/include/clarifai.h") || file_get_contents("$repo/include/clarifai.h") === file_get_contents("$installed/resources/clarifai.h")), 'it holds the generated header, equal to include/clarifai.h');
$check(is_file("$installed/generated/Clarifai/Api/V2Client.php") && is_file("$installed/src/Native/ErrorKinds.php"), 'it holds the generated classes');
$check(!file_exists("$installed/tests") && glob("$installed/lib/libclarifai*") === [], 'it holds no tests and no native library');
$check((json_decode((string) file_get_contents("$app/composer.lock"), true)['packages'][0]['version'] ?? null) === $version, "composer.lock has version $version");

// The README's examples as the installed package has them, with the placeholders filled in.
$readme = (string) file_get_contents("$installed/README.md");
file_put_contents("$app/initializer.php", strtr($readmeBlock($readme, 'install-example'), ['YOUR_API_KEY' => $emulator->apiKey()]));
file_put_contents("$app/grpc.php", "<?php\nrequire 'vendor/autoload.php';\n" . strtr($readmeBlock($readme, 'docs-example'), [
    'YOUR_CLARIFAI_PAT_HERE' => $emulator->pat(),
    'YOUR_USER_ID' => 'clarifai',
    'YOUR_APP_ID' => 'main',
]));
$appEnv = $env + ['CLARIFAI_API_BASE' => $emulator->url(), 'CLARIFAI_GRPC_BASE' => $emulator->url()];
$secrets = $emulator->secrets();
$runExamples = static function (string $how, array $extraEnv) use ($run, $check, $app, $appEnv, $secrets): void {
    [$status, $initializer] = $run([PHP_BINARY, 'initializer.php'], $app, $extraEnv + $appEnv);
    $check($status === 0 && $initializer === "Ok\n", "$how: new ClarifaiClient('YOUR_API_KEY') calls the API", $initializer);
    [$status, $grpc] = $run([PHP_BINARY, 'grpc.php'], $app, $extraEnv + $appEnv);
    $check($status === 0 && preg_match('/\A([a-z ]+: [01]\.\d\d\n)+\z/', $grpc) === 1, "$how: the docs' gRPC example prints the concepts", $grpc);
    $check(array_filter($secrets, static fn (string $secret): bool => str_contains($initializer . $grpc, $secret)) === [], "$how: no secret in the output");
};

// 1. The library copied into the installed package's lib/, as the README says.
copy("$libDir/libclarifai.so", "$installed/lib/libclarifai.so");
$runExamples("the library in vendor/clarifai/clarifai-core/lib/", []);
unlink("$installed/lib/libclarifai.so");

// 2. The library installed with `make install` (as the .deb does, into a prefix of its own
// here), found by the system loader.
[$status, $output] = $run(['make', '-s', '-C', $repo, 'install', "PREFIX=$tmp/prefix", "CLARIFAI_LIB_DIR=$libDir"], $tmp, $env);
$check($status === 0 && is_file("$tmp/prefix/lib/libclarifai.so.0"), 'make install PREFIX=… installs libclarifai.so.0', $output);
$runExamples('the library from make install, on the loader path', ['LD_LIBRARY_PATH' => "$tmp/prefix/lib"]);

// 3. No library anywhere: the error says where it looked and what to do.
[$status, $output] = $run([PHP_BINARY, 'initializer.php'], $app, $appEnv);
$check(
    $status !== 0
        && str_contains($output, 'the clarifai native library was not found')
        && str_contains($output, "$installed/lib/libclarifai.so.0: no such file")
        && str_contains($output, 'libclarifai.so.0 through the system loader')
        && str_contains($output, 'set CLARIFAI_LIBRARY'),
    'no library: the error names every place looked at and the fixes',
    $output,
);

echo $failures === 0 ? "install test: every check passed\n" : "install test: $failures checks failed\n";
exit($failures === 0 ? 0 : 1);
