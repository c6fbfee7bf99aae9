"""The msbdemo distribution (src layout): built into a wheel, then with its dependencies into one pex."""
from setuptools import find_packages, setup

setup(
    name="msbdemo",
    version="0.1.0",
    package_dir={"": "src"},
    packages=find_packages("src"),
    install_requires=["flask", "twisted"],
)
