// The C# side of the polyglot solution: building the solution's containers leaves this project untouched.
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "Hello from ASP.NET Core");
app.Run();
