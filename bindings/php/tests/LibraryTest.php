<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\Native\Library;

/**
 * Loading the library: the shipped header, where the library is looked for, and the messages
 * when FFI cannot be used. Each case runs in a fresh PHP process, since the FFI instance is
 * made once per process.
 */
final class LibraryTest extends TestCase
{
    private const PACKAGE = __DIR__ . '/..';

    /** The script the child processes run: one call to the emulator, then the library version. */
    private const CALL = <<<'PHP'
        use Clarifai\API\ClarifaiClient;
        use Clarifai\API\Exception\ClarifaiException;
        try {
            $client = new ClarifaiClient(getenv('TEST_KEY'), ['baseUrl' => getenv('TEST_URL')]);
            echo $client->call('ListInputs')['status']['code'], ' ', ClarifaiClient::version();
        } catch (ClarifaiException $e) {
            echo get_class($e), ': ', $e->getMessage();
        }
        PHP;

    private static ?string $tmp = null;

    public static function tearDownAfterClass(): void
    {
        if (self::$tmp !== null) {
            exec('rm -rf ' . escapeshellarg(self::$tmp));
        }
    }

    public function testShippedHeaderIsTheRepositoryHeader(): void
    {
        $this->assertFileEquals(\dirname(__DIR__, 3) . '/include/clarifai.h', Library::headerPath(), 'copy include/clarifai.h to bindings/php/resources/');
    }

    public function testLoadsFromClarifaiLibrary(): void
    {
        $this->assertSame('10000 ' . $this->version(), $this->runPhp(self::PACKAGE, [], self::CALL));
    }

    public function testClarifaiLibraryMayNameTheDirectory(): void
    {
        $dir = $this->tmp() . '/by-directory';
        @mkdir($dir);
        @symlink($this->libraryPath(), "$dir/libclarifai.so.0");
        $this->assertSame('10000 ' . $this->version(), $this->runPhp(self::PACKAGE, [], self::CALL, [Library::ENV_LIBRARY => $dir]));
    }

    public function testTheOldNameIsAnAliasAndTheNewNameWins(): void
    {
        $this->assertSame('10000 ' . $this->version(), $this->runPhp(self::PACKAGE, [], self::CALL, [
            Library::ENV_LIBRARY => null,
            Library::ENV_LIBRARY_ALIAS => $this->libraryPath(),
        ]));
        $this->assertSame('10000 ' . $this->version(), $this->runPhp(self::PACKAGE, [], self::CALL, [
            Library::ENV_LIBRARY => $this->libraryPath(),
            Library::ENV_LIBRARY_ALIAS => '/nonexistent/libclarifai.so',
        ]));
        $output = $this->runPhp(self::PACKAGE, [], self::CALL, [Library::ENV_LIBRARY => null, Library::ENV_LIBRARY_ALIAS => '/nonexistent/libclarifai.so']);
        $this->assertStringStartsWith('Clarifai\API\Exception\LibraryException: CLARIFAI_FFI_LIB names /nonexistent/libclarifai.so, which does not exist', $output);
    }

    public function testAVariableNamingNothingUsableIsAnErrorNotAFallback(): void
    {
        $output = $this->runPhp(self::PACKAGE, [], self::CALL, [Library::ENV_LIBRARY => '/nonexistent/libclarifai.so']);
        $this->assertSame(
            'Clarifai\API\Exception\LibraryException: CLARIFAI_LIBRARY names /nonexistent/libclarifai.so, which does not exist: '
            . 'set it to the path of libclarifai.so (or the directory holding it), or unset it to use the installed library',
            $output,
        );
        $output = $this->runPhp(self::PACKAGE, [], self::CALL, [Library::ENV_LIBRARY => $this->tmp()]);
        $this->assertStringStartsWith('Clarifai\API\Exception\LibraryException: CLARIFAI_LIBRARY names the directory ' . $this->tmp() . ', which holds no libclarifai.so.0 or libclarifai.so', $output);
        $output = $this->runPhp(self::PACKAGE, [], self::CALL, [Library::ENV_LIBRARY => __FILE__]);
        $this->assertStringStartsWith('Clarifai\API\Exception\LibraryException: CLARIFAI_LIBRARY names ' . __FILE__ . ', which cannot be loaded (', $output);
    }

    /** @return iterable<string, array{string}> */
    public static function libFolderNames(): iterable
    {
        yield 'the soname' => ['libclarifai.so.0'];
        yield 'the link name' => ['libclarifai.so'];
    }

    /** @dataProvider libFolderNames */
    public function testFindsTheLibraryInThePackagesLibFolder(string $name): void
    {
        $package = $this->packageCopy();
        symlink($this->libraryPath(), "$package/lib/$name");
        try {
            $this->assertSame('10000 ' . $this->version(), $this->runPhp($package, [], self::CALL, [Library::ENV_LIBRARY => null, 'LD_LIBRARY_PATH' => null]));
        } finally {
            unlink("$package/lib/$name");
        }
    }

    public function testTheLibFolderComesBeforeTheSystemLoader(): void
    {
        $package = $this->packageCopy();
        $system = $this->systemDir();
        copy(__FILE__, "$package/lib/libclarifai.so");
        try {
            $output = $this->runPhp($package, [], self::CALL, [Library::ENV_LIBRARY => null, 'LD_LIBRARY_PATH' => $system]);
        } finally {
            unlink("$package/lib/libclarifai.so");
        }
        $this->assertStringStartsWith("Clarifai\API\Exception\LibraryException: the library in the package's lib/ folder, $package/lib/libclarifai.so, cannot be loaded", $output);
    }

    public function testFallsBackToTheSystemLoader(): void
    {
        $output = $this->runPhp($this->packageCopy(), [], self::CALL, [Library::ENV_LIBRARY => null, 'LD_LIBRARY_PATH' => $this->systemDir()]);
        $this->assertSame('10000 ' . $this->version(), $output);
    }

    public function testNotFoundNamesEveryPlaceLookedAtAndTheFix(): void
    {
        $package = $this->packageCopy();
        $output = $this->runPhp($package, [], self::CALL, [Library::ENV_LIBRARY => null, 'LD_LIBRARY_PATH' => null]);
        $this->assertStringStartsWith("Clarifai\API\Exception\LibraryException: the clarifai native library was not found. Looked at:\n"
            . "  - CLARIFAI_LIBRARY (or CLARIFAI_FFI_LIB): not set\n"
            . "  - $package/lib/libclarifai.so.0: no such file\n"
            . "  - $package/lib/libclarifai.so: no such file\n"
            . '  - libclarifai.so.0 through the system loader: ', $output);
        $this->assertStringEndsWith("\nInstall it (the libclarifai .deb, or `make install` from the clarifai-core sources, then ldconfig), "
            . "copy libclarifai.so into $package/lib/, or set CLARIFAI_LIBRARY to its path", $output);
    }

    public function testWithoutTheFfiExtension(): void
    {
        $output = $this->runPhp(self::PACKAGE, ['-n'], self::CALL);
        $this->assertStringStartsWith('Clarifai\API\Exception\LibraryException: the PHP extension ffi is not loaded', $output);
    }

    public function testFfiDisabledByIni(): void
    {
        $output = $this->runPhp(self::PACKAGE, ['-d', 'ffi.enable=0'], self::CALL);
        $this->assertStringStartsWith('Clarifai\API\Exception\LibraryException: FFI is disabled by the ini setting ffi.enable', $output);
    }

    public function testOpcachePreloadWithFfiPreload(): void
    {
        $header = $this->tmp() . '/clarifai-ffi.h';
        exec(sprintf('%s %s %s', escapeshellarg(PHP_BINARY), escapeshellarg(self::PACKAGE . '/bin/clarifai-ffi-header'), escapeshellarg($header)), $_, $status);
        $this->assertSame(0, $status);
        // The library path is broken at run time: only the preloaded scope can serve the call.
        $script = "putenv('CLARIFAI_LIBRARY=/nonexistent');\n"
            . "echo class_exists(Clarifai\\API\\ClarifaiClient::class, false) ? 'preloaded ' : 'not preloaded ';\n"
            . self::CALL;
        $output = $this->runPhp(self::PACKAGE, [
            '-d', 'opcache.enable_cli=1',
            '-d', 'opcache.preload=' . realpath(self::PACKAGE . '/preload.php'),
            '-d', 'opcache.preload_user=' . (\function_exists('posix_geteuid') ? (posix_getpwuid(posix_geteuid())['name'] ?? 'root') : get_current_user()),
            '-d', 'ffi.enable=preload',
            '-d', 'ffi.preload=' . $header,
        ], $script, [], false);
        $this->assertSame('preloaded 10000 ' . $this->version(), $output);
    }

    public function testFfiPreloadAloneServesTheScope(): void
    {
        $header = $this->tmp() . '/clarifai-ffi.h';
        file_put_contents($header, Library::scopedDeclarations($this->libraryPath()));
        $script = "putenv('CLARIFAI_LIBRARY=/nonexistent');\n" . self::CALL;
        $this->assertSame('10000 ' . $this->version(), $this->runPhp(self::PACKAGE, ['-d', 'ffi.preload=' . $header], $script));
    }

    private function version(): string
    {
        return Library::ffi()->clarifai_version();
    }

    private function libraryPath(): string
    {
        return (string) getenv(Library::ENV_LIBRARY);
    }

    /** A directory holding libclarifai.so.0, as the system loader would find it. */
    private function systemDir(): string
    {
        $dir = $this->tmp() . '/system';
        if (!is_dir($dir)) {
            mkdir($dir);
            symlink($this->libraryPath(), "$dir/libclarifai.so.0");
        }
        return $dir;
    }

    private function tmp(): string
    {
        if (self::$tmp === null) {
            self::$tmp = sys_get_temp_dir() . '/clarifai-php-test-' . getmypid();
            @mkdir(self::$tmp);
        }
        return self::$tmp;
    }

    /** A copy of the package (without a library in its lib/) outside the repository. */
    private function packageCopy(): string
    {
        $copy = $this->tmp() . '/package';
        if (!is_dir($copy)) {
            mkdir("$copy/lib", 0777, true);
            foreach (['src', 'generated', 'resources', 'autoload.php'] as $item) {
                exec(sprintf('cp -r %s %s', escapeshellarg(self::PACKAGE . '/' . $item), escapeshellarg($copy)));
            }
        }
        return $copy;
    }

    /**
     * Run `$script` in a new PHP process with the package at `$package` autoloaded.
     *
     * @param list<string> $phpArgs
     * @param array<string, ?string> $env changes to this process's environment (null removes)
     */
    private function runPhp(string $package, array $phpArgs, string $script, array $env = [], bool $autoload = true): string
    {
        $env = array_merge(getenv(), ['TEST_KEY' => self::emulator()->apiKey(), 'TEST_URL' => self::emulator()->url()], $env);
        $code = ($autoload ? 'require ' . var_export($package . '/autoload.php', true) . ";\n" : '') . $script;
        $process = proc_open(
            [PHP_BINARY, ...$phpArgs, '-r', $code],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            null,
            array_filter($env, static fn ($value) => $value !== null),
        );
        $stdout = stream_get_contents($pipes[1]);
        $stderr = stream_get_contents($pipes[2]);
        proc_close($process);
        $this->assertSame('', $stderr, 'the child wrote to stderr');
        $this->assertNoSecret($stdout);
        return $stdout;
    }
}
