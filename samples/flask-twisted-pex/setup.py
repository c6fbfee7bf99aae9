import setuptools

# The write-up's setup.py; package_dir added because the sources live under src/ (find_packages()
# at the top would find nothing).
setuptools.setup(
    name='msbdemo',
    version='0.0.1',
    url='https://github.com/moshez/msbdemo',
    author='Moshe Zadka',
    author_email='zadka.moshe@gmail.com',
    package_dir={'': 'src'},
    packages=setuptools.find_packages('src'),
    install_requires=['flask'],
)
