<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

/**
 * The docs' predict example, as the README shows it, run in a PHP process of its own against an
 * emulator of this test's own (the app-key case adds a model to the key's app): with a PAT on
 * clarifai/main, with the app key on its app, and with a bad key, no key, an unknown model and a
 * dead server. Only the placeholders are replaced.
 */
final class GrpcDocsExampleTest extends TestCase
{
    private static ?Emulator $emulator = null;

    public static function setUpBeforeClass(): void
    {
        self::$emulator = Emulator::spawn(Emulator::binary(), [], getenv('CLARIFAI_EMULATOR_LOG') ?: '/dev/null');
        // A model of that name in the key's own app, which the app key may use.
        $pat = \Clarifai\API\ClarifaiClient::withPat(self::$emulator->pat(), self::$emulator->userId(), self::$emulator->appId(), ['baseUrl' => self::$emulator->url()]);
        $pat->call('PostModels', ['model' => ['id' => 'general-image-recognition']]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$emulator?->stop();
        self::$emulator = null;
    }

    public function testWithAPatOnClarifaiMain(): void
    {
        $output = $this->runExample([
            'YOUR_CLARIFAI_PAT_HERE' => self::$emulator->pat(),
            'YOUR_USER_ID' => 'clarifai',
            'YOUR_APP_ID' => 'main',
        ]);
        $this->assertConcepts($output);
    }

    public function testWithTheAppKeyOnItsApp(): void
    {
        $output = $this->runExample([
            'YOUR_CLARIFAI_PAT_HERE' => self::$emulator->apiKey(),
            'YOUR_USER_ID' => self::$emulator->userId(),
            'YOUR_APP_ID' => self::$emulator->appId(),
        ]);
        $this->assertConcepts($output);
    }

    public function testWithABadKey(): void
    {
        $output = $this->runExample([
            'YOUR_CLARIFAI_PAT_HERE' => self::CANARY_KEY,
            'YOUR_USER_ID' => 'clarifai',
            'YOUR_APP_ID' => 'main',
        ]);
        // The example's own check of the response status throws; the package threw nothing.
        $this->assertStringContainsString('Uncaught Exception: Failure response: API key not found', $output);
    }

    public function testWithoutAKey(): void
    {
        $output = $this->runExample([
            "['Authorization' => ['Key YOUR_CLARIFAI_PAT_HERE']]" => '[]',
            'YOUR_USER_ID' => 'clarifai',
            'YOUR_APP_ID' => 'main',
        ]);
        $this->assertStringContainsString('Uncaught Exception: Failure response: Invalid request no Authorization header', $output);
    }

    public function testWithAnUnknownModel(): void
    {
        $output = $this->runExample([
            'YOUR_CLARIFAI_PAT_HERE' => self::$emulator->pat(),
            'YOUR_USER_ID' => 'clarifai',
            'YOUR_APP_ID' => 'main',
            "'general-image-recognition'" => "'no-such-model'",
        ]);
        $this->assertStringContainsString('Uncaught Exception: Failure response: Model does not exist', $output);
    }

    public function testWithADeadServer(): void
    {
        $output = $this->runExample([
            'YOUR_CLARIFAI_PAT_HERE' => self::CANARY_KEY,
            'YOUR_USER_ID' => 'clarifai',
            'YOUR_APP_ID' => 'main',
        ], 'http://127.0.0.1:1');
        // The example's own check of $status throws, with the details of the failure.
        $this->assertStringContainsString('Uncaught Exception: Error: connection failed', $output);
    }

    private function assertConcepts(string $output): void
    {
        $lines = explode("\n", rtrim($output, "\n"));
        $this->assertGreaterThanOrEqual(5, \count($lines), $output);
        foreach ($lines as $line) {
            $this->assertMatchesRegularExpression('/^[a-z ]+: (0|1)\.\d\d$/', $line);
        }
    }

    /** The README's example with `$replace` made, run against `$base` (the test's emulator). */
    private function runExample(array $replace, ?string $base = null): string
    {
        $readme = (string) file_get_contents(\dirname(__DIR__) . '/README.md');
        $at = strpos($readme, '<!-- docs-example:');
        $this->assertNotFalse($at, 'the README marks the docs example');
        $this->assertSame(1, preg_match('/```php\n(.*?)\n```/s', $readme, $m, 0, $at));
        $code = strtr($m[1], $replace);
        foreach (array_keys($replace) as $placeholder) {
            $this->assertStringNotContainsString($placeholder, $code);
        }

        $script = tempnam(sys_get_temp_dir(), 'clarifai-docs-example-');
        file_put_contents($script, "<?php\nrequire " . var_export(\dirname(__DIR__) . '/autoload.php', true) . ";\n" . $code . "\n");
        try {
            $env = ['CLARIFAI_GRPC_BASE' => $base ?? self::$emulator->url()] + getenv();
            unset($env['CLARIFAI_API_BASE']);
            $process = proc_open(
                [PHP_BINARY, '-d', 'display_errors=stderr', '-d', 'zend.exception_ignore_args=0', $script],
                [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
                $pipes,
                null,
                $env,
            );
            $stdout = stream_get_contents($pipes[1]);
            $stderr = stream_get_contents($pipes[2]);
            proc_close($process);
        } finally {
            unlink($script);
        }
        $this->assertNoSecret($stdout . $stderr, ...self::$emulator->secrets());
        return $stdout . $stderr;
    }
}
