using PyContainer.Diagnostics;

namespace PyContainer.Tests.TestSupport;

internal static class Coded
{
    /// <summary>Asserts that <paramref name="action"/> fails with the coded error <paramref name="code"/>.</summary>
    public static PyContainerException Throws(string code, Action action)
    {
        var exception = Assert.Throws<PyContainerException>(action);
        Assert.True(code == exception.Code, $"Expected {code} but got {exception.Code}: {exception.Message}");
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
        return exception;
    }

    public static PyContainerException Throws(string code, Func<object?> function) => Throws(code, () => { function(); });
}
