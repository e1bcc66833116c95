using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReasonTools.Bench;

/// <summary>
/// Real-looking system log text (dpkg.log, apt term.log, syslog with systemd, kernel, cron and sshd lines, varied
/// package names, versions, PIDs and paths), and the reference the log benchmark reports against: a plain line count
/// of the same file, read the same way, in the same run.
/// </summary>
internal static class SystemLogLines
{
    private static readonly string[] Packages =
        ["libc6", "libssl3", "openssh-server", "systemd", "python3.11", "libgnutls30", "tzdata", "linux-image-6.1.0-18-amd64",
         "libxml2", "curl", "libcurl4", "perl-base", "coreutils", "dpkg", "apt", "ca-certificates", "libsystemd0", "udev", "gcc-12", "libstdc++6"];
    private static readonly string[] Units = ["cron.service", "ssh.service", "apt-daily.service", "systemd-tmpfiles-clean.service", "docker.service", "nginx.service"];

    /// <summary>Writes about <paramref name="size"/> bytes of dpkg/apt/syslog lines; returns the bytes written.</summary>
    public static long Generate(string path, long size)
    {
        using var writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20), new UTF8Encoding(false), 1 << 20);
        var random = new Random(7);
        var time = new DateTime(2024, 3, 2, 6, 25, 0, DateTimeKind.Utc);
        var sb = new StringBuilder(256);
        long written = 0;
        while (written < size)
        {
            time = time.AddMilliseconds(random.Next(1, 900));
            sb.Clear();
            var package = Packages[random.Next(Packages.Length)];
            var version = $"{random.Next(1, 12)}.{random.Next(0, 40)}.{random.Next(0, 20)}-{random.Next(1, 9)}+deb12u{random.Next(1, 6)}";
            var kind = random.Next(100);
            var syslogTime = time.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
            if (kind < 30)
                sb.Append(time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(random.Next(4) switch
                {
                    0 => $" status half-configured {package}:amd64 {version}",
                    1 => $" status unpacked {package}:amd64 {version}",
                    2 => $" upgrade {package}:amd64 {version} {version}~1",
                    _ => $" configure {package}:amd64 {version} <none>",
                });
            else if (kind < 45)
                sb.Append(random.Next(3) switch
                {
                    0 => $"Preparing to unpack .../{random.Next(0, 99):00}-{package}_{version}_amd64.deb ...",
                    1 => $"Unpacking {package}:amd64 ({version}) over ({version}~1) ...",
                    _ => $"Setting up {package}:amd64 ({version}) ...",
                });
            else if (kind < 70)
                sb.Append(syslogTime).Append(" host01 systemd[1]: ").Append(random.Next(3) switch
                {
                    0 => $"Started {Units[random.Next(Units.Length)]} - Daily job {random.Next(1000)}.",
                    1 => $"{Units[random.Next(Units.Length)]}: Deactivated successfully.",
                    _ => $"{Units[random.Next(Units.Length)]}: Consumed {random.Next(1, 900)}ms CPU time.",
                });
            else if (kind < 82)
                sb.Append(syslogTime).Append(" host01 CRON[").Append(random.Next(1000, 65000)).Append("]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)");
            else if (kind < 92)
                sb.Append(syslogTime).Append(" host01 sshd[").Append(random.Next(1000, 65000)).Append("]: ").Append(random.Next(2) == 0
                    ? $"Accepted publickey for deploy from 10.1.{random.Next(256)}.{random.Next(256)} port {random.Next(1024, 65535)} ssh2: ED25519 SHA256:{Convert.ToBase64String(BitConverter.GetBytes(random.NextInt64()))}"
                    : $"pam_unix(sshd:session): session closed for user deploy");
            else if (kind < 98)
                sb.Append(syslogTime).Append(" host01 kernel: [").Append(random.Next(1000, 999999)).Append('.').Append(random.Next(100000, 999999))
                  .Append("] audit: type=1400 audit(").Append(random.Next()).Append(".").Append(random.Next(100, 999)).Append(":").Append(random.Next(1, 999))
                  .Append("): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/proc/").Append(random.Next(1, 32000)).Append("/mounts\"");
            else
                sb.Append(syslogTime).Append(" host01 ").Append(random.Next(2) == 0
                    ? $"dpkg[{random.Next(1000, 65000)}]: error processing package {package} (--configure): installed {package} package post-installation script subprocess returned error exit status 1"
                    : $"kernel: [{random.Next(1000, 999999)}.{random.Next(100000, 999999)}] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #{random.Next()}: comm apt: reading directory lblock 0");
            sb.Append('\n');
            foreach (var chunk in sb.GetChunks()) writer.Write(chunk.Span);
            written += sb.Length;
        }
        return written;
    }

    /// <summary>Reads the file and counts its lines: the floor any reader of it pays (MB/s, same run, same cache state).</summary>
    public static (long Lines, double MegabytesPerSecond) CountLines(string path)
    {
        var watch = Stopwatch.StartNew();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        long lines = 0, bytes = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
            bytes += n;
        }
        return (lines, bytes / 1e6 / watch.Elapsed.TotalSeconds);
    }
}
