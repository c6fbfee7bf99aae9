// .NET Framework only (see PyContainer.Core.csproj): the few newer BCL members the code calls, with .NET's
// behaviour, so that the sources stay one code path. On .NET the real members are used (instance members
// win over extensions, and these files are not compiled there).
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace System;

/// <summary>Newer BCL members, as C# 14 extension members (static ones included) on the types .NET has them on.</summary>
internal static class BclPolyfills
{
    extension(ArgumentNullException)
    {
        public static void ThrowIfNull(object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            if (argument is null)
            {
                throw new ArgumentNullException(paramName);
            }
        }
    }

    extension(OperatingSystem)
    {
        public static bool IsWindows() => Environment.OSVersion.Platform == PlatformID.Win32NT;
    }

    extension(Convert)
    {
        /// <summary>Upper-case hex digits, as on .NET.</summary>
        public static string ToHexString(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", "");
    }

    extension(SHA256)
    {
        public static byte[] HashData(byte[] source)
        {
            using var sha256 = SHA256.Create();
            return sha256.ComputeHash(source);
        }
    }

    extension(IO.File)
    {
        /// <summary>
        /// The .NET Framework cannot read Unix modes. It runs on Windows, where callers do not ask; under Mono
        /// on Unix this reports no executable bit.
        /// </summary>
        public static IO.UnixFileMode GetUnixFileMode(string path) =>
            IO.File.Exists(path) ? IO.UnixFileMode.UserRead | IO.UnixFileMode.UserWrite : throw new IO.FileNotFoundException(null, path);
    }

    extension(IO.File)
    {
        public static void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            if (overwrite && IO.File.Exists(destFileName))
            {
                IO.File.Delete(destFileName);
            }

            IO.File.Move(sourceFileName, destFileName);
        }
    }

    /// <summary>Only the process itself: .NET Framework cannot list a process's children.</summary>
    public static void Kill(this Diagnostics.Process process, bool entireProcessTree)
    {
        _ = entireProcessTree;
        process.Kill();
    }

    extension(IO.Path)
    {
        /// <summary><paramref name="path"/> made absolute against <paramref name="basePath"/> instead of the current directory.</summary>
        public static string GetFullPath(string path, string basePath)
        {
            if (IsFullyQualified(path))
            {
                return IO.Path.GetFullPath(path);
            }

            // "\dir" is relative to the root of basePath's drive; "dir" and "C:dir" to basePath itself.
            return IO.Path.IsPathRooted(path) && path[0] is '\\' or '/'
                ? IO.Path.GetFullPath(IO.Path.GetPathRoot(basePath) + path.Substring(1))
                : IO.Path.GetFullPath(IO.Path.Combine(basePath, path));
        }

        /// <summary>The path from <paramref name="relativeTo"/> (a folder) to <paramref name="path"/>, or <paramref name="path"/> when they share no root.</summary>
        public static string GetRelativePath(string relativeTo, string path)
        {
            relativeTo = IO.Path.GetFullPath(relativeTo);
            path = IO.Path.GetFullPath(path);
            StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (!string.Equals(IO.Path.GetPathRoot(relativeTo), IO.Path.GetPathRoot(path), comparison))
            {
                return path;
            }

            char[] separators = [IO.Path.DirectorySeparatorChar, IO.Path.AltDirectorySeparatorChar];
            string[] from = relativeTo.Split(separators, StringSplitOptions.RemoveEmptyEntries);
            string[] to = path.Split(separators, StringSplitOptions.RemoveEmptyEntries);
            int common = 0;
            while (common < from.Length && common < to.Length && string.Equals(from[common], to[common], comparison))
            {
                common++;
            }

            if (common == from.Length && common == to.Length)
            {
                return ".";
            }

            string relative = string.Join(IO.Path.DirectorySeparatorChar.ToString(), Enumerable.Repeat("..", from.Length - common).Concat(to.Skip(common)));
            return path.EndsWith(IO.Path.DirectorySeparatorChar) || path.EndsWith(IO.Path.AltDirectorySeparatorChar)
                ? relative + IO.Path.DirectorySeparatorChar
                : relative;
        }
    }

    public static bool Contains(this string text, char value) => text.IndexOf(value) >= 0;

    public static bool Contains(this string text, char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison) >= 0;

    public static bool Contains(this string text, string value, StringComparison comparison) => text.IndexOf(value, comparison) >= 0;

    public static int IndexOf(this string text, char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison);

    public static bool StartsWith(this string text, char value) => text.Length > 0 && text[0] == value;

    public static bool EndsWith(this string text, char value) => text.Length > 0 && text[text.Length - 1] == value;

    public static string Replace(this string text, string oldValue, string? newValue, StringComparison comparison)
    {
        if (comparison == StringComparison.Ordinal)
        {
            return text.Replace(oldValue, newValue);
        }

        var result = new StringBuilder(text.Length);
        int start = 0;
        for (int found = text.IndexOf(oldValue, comparison); found >= 0; found = text.IndexOf(oldValue, start, comparison))
        {
            result.Append(text, start, found - start).Append(newValue);
            start = found + oldValue.Length;
        }

        return result.Append(text, start, text.Length - start).ToString();
    }

    /// <summary>Every line break .NET knows (CR LF, CR, LF, NEL, FF, LS, PS) replaced with <paramref name="replacementText"/>.</summary>
    public static string ReplaceLineEndings(this string text, string replacementText)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\r' or '\n' or '\u0085' or '\u000C' or '\u2028' or '\u2029')
            {
                result.Append(replacementText);
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    public static string GetString(this Encoding encoding, ReadOnlySpan<byte> bytes) => encoding.GetString(bytes.ToArray());

    public static void Deconstruct<TKey, TValue>(this KeyValuePair<TKey, TValue> pair, out TKey key, out TValue value)
    {
        key = pair.Key;
        value = pair.Value;
    }

    public static IEnumerable<T> TakeLast<T>(this IEnumerable<T> source, int count)
    {
        var last = new Queue<T>();
        foreach (T item in source)
        {
            last.Enqueue(item);
            if (last.Count > count)
            {
                last.Dequeue();
            }
        }

        return last;
    }

    public static IOrderedEnumerable<T> Order<T>(this IEnumerable<T> source, IComparer<T>? comparer) => source.OrderBy(item => item, comparer);

    public static ValueTask DisposeAsync(this IO.Stream stream)
    {
        stream.Dispose();
        return default;
    }

    /// <summary>A line, or null at the end; cancelling stops the wait (the read itself ends when the reader is disposed).</summary>
    public static async Task<string?> ReadLineAsync(this IO.TextReader reader, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task<string?> read = reader.ReadLineAsync();
        if (!cancellationToken.CanBeCanceled)
        {
            return await read;
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(read, cancelled.Task) != read)
            {
                // Observe the abandoned read's failure, so it is not reported as unobserved.
                _ = read.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await read;
    }

    private static bool IsFullyQualified(string path) =>
        OperatingSystem.IsWindows()
            ? path.StartsWith(@"\\", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal)
                || (path.Length >= 3 && path[1] == ':' && path[2] is '\\' or '/')
            : path.StartsWith('/');
}
