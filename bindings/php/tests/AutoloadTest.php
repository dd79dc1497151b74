<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

/**
 * Both class loaders, autoload.php and Composer's from composer.json, find every class of the
 * package whichever case the code writes the namespace in: PHP class names ignore case, and the
 * docs write Clarifai\Api\ where this package declares Clarifai\API\. Each runs in a fresh PHP
 * process, since a class once loaded is found by any spelling.
 */
final class AutoloadTest extends TestCase
{
    /** The classes to find, as code may spell them; the last one does not exist. */
    private const CHECK = <<<'PHP'
        foreach ([
            'Clarifai\Api\UserAppIDSet',           // the docs' spelling of a class both write
            'Clarifai\API\UserAppIDSet',
            'Clarifai\Api\ClarifaiClient',         // hand-written, in the docs' spelling
            'Clarifai\Api\Exception\KeyNotFoundException',
            'Clarifai\API\Data',                   // generated, in this package's spelling
            'Clarifai\Api\Status\StatusCode',
            'CLARIFAI\API\STATUS\STATUSCODE',
            'Clarifai\Api\Model\Source',
            'Clarifai\Api\V2Client',
            'Clarifai\ClarifaiClient',
            'clarifai\clarifaiclient',
            'Google\Protobuf\Struct',
            'Clarifai\Api\NoSuchClass',
        ] as $class) {
            echo $class, ' ', class_exists($class) ? 'found' : 'missing', "\n";
        }
        PHP;

    private const EXPECTED = [
        'Clarifai\Api\UserAppIDSet found',
        'Clarifai\API\UserAppIDSet found',
        'Clarifai\Api\ClarifaiClient found',
        'Clarifai\Api\Exception\KeyNotFoundException found',
        'Clarifai\API\Data found',
        'Clarifai\Api\Status\StatusCode found',
        'CLARIFAI\API\STATUS\STATUSCODE found',
        'Clarifai\Api\Model\Source found',
        'Clarifai\Api\V2Client found',
        'Clarifai\ClarifaiClient found',
        'clarifai\clarifaiclient found',
        'Google\Protobuf\Struct found',
        'Clarifai\Api\NoSuchClass missing',
    ];

    private static ?string $tmp = null;

    public static function tearDownAfterClass(): void
    {
        if (self::$tmp !== null) {
            exec('rm -rf ' . escapeshellarg(self::$tmp));
        }
    }

    public function testAutoloadPhp(): void
    {
        $this->assertSame(self::EXPECTED, $this->runPhp(\dirname(__DIR__) . '/autoload.php'));
    }

    /** @dataProvider composerModes */
    public function testComposer(array $flags): void
    {
        $package = $this->packageCopy();
        exec(sprintf('cd %s && COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload --no-interaction %s 2>&1', escapeshellarg($package), implode(' ', $flags)), $output, $status);
        $this->assertSame(0, $status, implode("\n", $output));
        // The optimized dump checks every file against its PSR-4 rule, and says so when one breaks it.
        $this->assertStringNotContainsString('does not comply', implode("\n", $output));
        $this->assertSame(self::EXPECTED, $this->runPhp($package . '/vendor/autoload.php'));
    }

    /** @return iterable<string, array{list<string>}> */
    public static function composerModes(): iterable
    {
        yield 'psr-4' => [[]];
        yield 'optimized class map' => [['--optimize']];
    }

    /** A copy of the package as Composer installs it: this directory, without tests. */
    private function packageCopy(): string
    {
        self::$tmp ??= sys_get_temp_dir() . '/clarifai-php-autoload-' . getmypid();
        $copy = self::$tmp . '/package';
        exec('rm -rf ' . escapeshellarg($copy));
        mkdir($copy, 0777, true);
        foreach (['composer.json', 'autoload.php', 'src', 'generated', 'resources'] as $item) {
            exec(sprintf('cp -r %s %s', escapeshellarg(\dirname(__DIR__) . '/' . $item), escapeshellarg($copy)));
        }
        return $copy;
    }

    /** @return list<string> the lines CHECK prints with `$loader` required */
    private function runPhp(string $loader): array
    {
        exec(sprintf('%s -r %s 2>&1', escapeshellarg(PHP_BINARY), escapeshellarg('require ' . var_export($loader, true) . ";\n" . self::CHECK)), $output, $status);
        $this->assertSame(0, $status, implode("\n", $output));
        return $output;
    }
}
